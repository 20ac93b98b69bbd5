import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsRfc3339 } from '../common/validators';

/** The only three answers a mandatory reporter may receive (SoL 2001:453 14:1 b, now 2025:400). */
export const CONCERN_DECISION_OUTCOMES = [
  'investigation-opened',
  'investigation-not-opened',
  'investigation-already-ongoing',
] as const;
export type ConcernDecisionOutcome = (typeof CONCERN_DECISION_OUTCOMES)[number];

/**
 * Social services decided whether to open an investigation (förhandsbedömning, due 14 days after
 * receipt). The router delivers it to `reporterUnit.agency` minimized to reportId, outcome and
 * decidedAt; `reporterUnit` is absent when the report did not come through the hub (phone,
 * police, anonymous), and then there is nobody to feed back to.
 */
export class ConcernReportDecidedV1 {
  @IsUUID()
  reportId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsIn(CONCERN_DECISION_OUTCOMES)
  outcome: ConcernDecisionOutcome;

  @IsRfc3339()
  receivedAt: string;

  @IsRfc3339()
  decidedAt: string;

  /** The unit the deciding social-services office belongs to. */
  @Nested(() => OrganisationUnit)
  decidingUnit: OrganisationUnit;

  /** The reporter's agency and unit, copied from the filed report: where feedback goes. */
  @IsOptional()
  @Nested(() => OrganisationUnit)
  reporterUnit?: OrganisationUnit;
}
