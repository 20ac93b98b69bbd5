import { IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { Nested } from '../common/personal-data';
import { ChildIdentity } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseParticipant } from './participant';

/**
 * A participant met the programme's completion rule (from the catalog) when the course's last
 * session was recorded. Participants who did not are counted in course.completed.
 */
export class CourseParticipantCompletedV1 {
  @IsUUID()
  courseId: string;

  @IsUUID()
  enrollmentId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  @Nested(() => CourseParticipant)
  participant: CourseParticipant;

  /** For a parent programme, the child it concerns, when known (follow-up needs it). */
  @IsOptional()
  @Nested(() => ChildIdentity)
  child?: ChildIdentity;

  @IsInt()
  @Min(0)
  sessionsAttended: number;

  @IsInt()
  @Min(1)
  sessionsPlanned: number;

  @IsRfc3339()
  completedAt: string;
}
