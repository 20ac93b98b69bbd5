import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { INTERVENTION_BASES, InterventionBasis } from '../../catalog';
import { Nested } from '../common/personal-data';
import { ChildIdentity, ContactDetails, OrganisationUnit } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';

/**
 * A unit referred a child (or the family) to an intervention, possibly run by another unit or
 * agency: a course in leisure, family treatment in social services. Delivered to the receiving
 * agency only under a consent in force that names both agencies.
 */
export class InterventionReferredV1 {
  @IsUUID()
  referralId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsCatalogCode()
  catalogCode: string;

  @IsIn(INTERVENTION_BASES)
  basis: InterventionBasis;

  @Nested(() => OrganisationUnit)
  referringUnit: OrganisationUnit;

  /** The unit asked to provide it; absent when any provider of the code may take it. */
  @IsOptional()
  @Nested(() => OrganisationUnit)
  receivingUnit?: OrganisationUnit;

  /** A specific scheduled course, for course programmes. */
  @IsOptional()
  @IsUUID()
  courseId?: string;

  /** How the provider reaches the family (guardian's contact), when the family agreed to share it. */
  @IsOptional()
  @Nested(() => ContactDetails)
  contact?: ContactDetails;

  @IsRfc3339()
  referredAt: string;
}
