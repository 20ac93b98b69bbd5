import { IsBoolean, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseParticipant } from './participant';

/**
 * Attendance of one participant at one session. One event per participant (keyed by the
 * participant's subject) keeps each person's course history in order on one partition.
 */
export class CourseAttendanceRecordedV1 {
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

  @IsInt()
  @Min(1)
  sessionNumber: number;

  @IsBoolean()
  attended: boolean;

  @IsRfc3339()
  recordedAt: string;
}
