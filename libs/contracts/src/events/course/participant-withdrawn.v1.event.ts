import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseParticipant } from './participant';

export const WITHDRAWAL_REASONS = [
  'participant-request',
  'no-show',
  'moved',
  'course-cancelled',
  'other',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** A participant left a course or its waitlist; leaving the course frees a place for the waitlist. */
export class CourseParticipantWithdrawnV1 {
  @IsUUID()
  courseId: string;

  @IsUUID()
  enrollmentId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  @Nested(() => CourseParticipant)
  participant: CourseParticipant;

  @IsOptional()
  @Nested(() => ChildIdentity)
  child?: ChildIdentity;

  /** True when the person was only on the waitlist. */
  @IsBoolean()
  fromWaitlist: boolean;

  @IsIn(WITHDRAWAL_REASONS)
  reason: WithdrawalReason;

  @IsRfc3339()
  withdrawnAt: string;
}
