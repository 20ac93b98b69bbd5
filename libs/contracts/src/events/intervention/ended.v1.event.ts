import { IsIn, IsUUID } from 'class-validator';
import { INTERVENTION_BASES, InterventionBasis } from '../../catalog';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';

export const INTERVENTION_END_REASONS = [
  'completed',
  'discontinued',
  'moved',
  'transferred',
  'other',
] as const;
export type InterventionEndReason = (typeof INTERVENTION_END_REASONS)[number];

export class InterventionEndedV1 {
  @IsUUID()
  interventionId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsCatalogCode()
  catalogCode: string;

  @IsIn(INTERVENTION_BASES)
  basis: InterventionBasis;

  @Nested(() => OrganisationUnit)
  organisationUnit: OrganisationUnit;

  @IsRfc3339()
  startedAt: string;

  @IsRfc3339()
  endedAt: string;

  @IsIn(INTERVENTION_END_REASONS)
  reason: InterventionEndReason;
}
