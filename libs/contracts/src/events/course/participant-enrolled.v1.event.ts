import { IsBoolean, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseParticipant } from './participant';

export const ENROLMENT_CHANNELS = ['self-registration', 'referral'] as const;
export type EnrolmentChannel = (typeof ENROLMENT_CHANNELS)[number];

/** A participant got a place on a course (directly, or promoted from the waitlist). */
export class CourseParticipantEnrolledV1 {
  @IsUUID()
  courseId: string;

  @IsUUID()
  enrollmentId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  @Nested(() => CourseParticipant)
  participant: CourseParticipant;

  /** For a parent programme, the child it concerns, when known. */
  @IsOptional()
  @Nested(() => ChildIdentity)
  child?: ChildIdentity;

  @IsIn(ENROLMENT_CHANNELS)
  channel: EnrolmentChannel;

  /** Required when channel is referral. */
  @ValidateIf((e: CourseParticipantEnrolledV1) => e.channel === 'referral' || e.referralId !== undefined)
  @IsUUID()
  referralId?: string;

  /** Promoted from the waitlist after a withdrawal. */
  @IsBoolean()
  fromWaitlist: boolean;

  /** Enrolled after the first session started (allowed by the programme's late-enrolment rule). */
  @IsBoolean()
  late: boolean;

  @IsRfc3339()
  enrolledAt: string;
}
