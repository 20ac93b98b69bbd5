import { IsIn, IsUUID } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity, OrganisationUnit } from '../common/shared';
import { IsRfc3339 } from '../common/validators';

export const PROTECTION_ASSESSMENT_OUTCOMES = [
  'no-immediate-protection-needed',
  'immediate-protection-needed',
] as const;
export type ProtectionAssessmentOutcome = (typeof PROTECTION_ASSESSMENT_OUTCOMES)[number];

/**
 * Social services made the immediate protection assessment (skyddsbedömning), due the day the
 * report arrives (the next working day when it arrives after office hours). Never fed back to the
 * reporter: the law allows only the decision outcome.
 */
export class ConcernReportProtectionAssessedV1 {
  @IsUUID()
  reportId: string;

  @Nested(() => ChildIdentity)
  child: ChildIdentity;

  @IsIn(PROTECTION_ASSESSMENT_OUTCOMES)
  outcome: ProtectionAssessmentOutcome;

  @IsRfc3339()
  receivedAt: string;

  @IsRfc3339()
  assessedAt: string;

  @Nested(() => OrganisationUnit)
  assessingUnit: OrganisationUnit;
}
