import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsRfc3339 } from '../common/validators';

export const INVESTIGATION_OUTCOMES = [
  'interventions-decided',
  'no-interventions',
  'transferred',
  'discontinued',
] as const;
export type InvestigationOutcome = (typeof INVESTIGATION_OUTCOMES)[number];

/** A child investigation (barnavårdsutredning) was closed; the law allows four months. */
export class InvestigationClosedV1 {
  @IsUUID()
  investigationId: string;

  /** The concern report that opened it, when one did. */
  @IsOptional()
  @IsUUID()
  reportId?: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsIn(INVESTIGATION_OUTCOMES)
  outcome: InvestigationOutcome;

  @IsRfc3339()
  openedAt: string;

  @IsRfc3339()
  closedAt: string;

  @Nested(() => OrganisationUnit)
  investigatingUnit: OrganisationUnit;
}
