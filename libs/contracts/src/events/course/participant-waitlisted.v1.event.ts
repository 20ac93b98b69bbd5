import { IsIn, IsInt, IsOptional, IsUUID, Min, ValidateIf } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseParticipant } from './participant';
import { ENROLMENT_CHANNELS, EnrolmentChannel } from './participant-enrolled.v1.event';

/** The course was full: the participant is on the waitlist at `position` (1 = next in line). */
export class CourseParticipantWaitlistedV1 {
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

  @IsIn(ENROLMENT_CHANNELS)
  channel: EnrolmentChannel;

  @ValidateIf((e: CourseParticipantWaitlistedV1) => e.channel === 'referral' || e.referralId !== undefined)
  @IsUUID()
  referralId?: string;

  @IsInt()
  @Min(1)
  position: number;

  @IsRfc3339()
  waitlistedAt: string;
}
