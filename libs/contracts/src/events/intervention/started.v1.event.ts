import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { INTERVENTION_BASES, InterventionBasis } from '../../catalog';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';

/**
 * An intervention started for a child: social services (after a decision, or as a service
 * without a needs assessment) or education (Mobila teamet). Crosses agencies only under consent.
 */
export class InterventionStartedV1 {
  @IsUUID()
  interventionId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsCatalogCode()
  catalogCode: string;

  @IsIn(INTERVENTION_BASES)
  basis: InterventionBasis;

  /** The unit that performs the intervention. */
  @Nested(() => OrganisationUnit)
  organisationUnit: OrganisationUnit;

  @IsRfc3339()
  startedAt: string;

  /** The referral it answers, when there was one. */
  @IsOptional()
  @IsUUID()
  referralId?: string;

  /** The child's school year when it started (0 = förskoleklass), for per-year statistics. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  schoolYear?: number;
}
