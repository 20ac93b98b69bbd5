import { IsInt, IsUUID, Min } from 'class-validator';
import { Nested } from '../common/personal-data';
import { OrganisationUnit } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';

/** Counts only: what reporting needs for fill, completion and dropout rates. */
export class CourseSummary {
  @IsInt()
  @Min(1)
  capacity: number;

  /** Everyone who held a place at some point. */
  @IsInt()
  @Min(0)
  enrolled: number;

  @IsInt()
  @Min(0)
  completed: number;

  /** Held a place to the end but did not meet the completion rule. */
  @IsInt()
  @Min(0)
  notCompleted: number;

  /** Left after enrolling (dropouts). */
  @IsInt()
  @Min(0)
  withdrawn: number;

  /** Still on the waitlist when the course ended. */
  @IsInt()
  @Min(0)
  waitlisted: number;

  @IsInt()
  @Min(0)
  sessionsHeld: number;

  @IsInt()
  @Min(1)
  sessionsPlanned: number;
}

/** The last session was recorded and completion computed by the catalog rule. */
export class CourseCompletedV1 {
  @IsUUID()
  courseId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  @Nested(() => OrganisationUnit)
  organisingUnit: OrganisationUnit;

  @Nested(() => CourseSummary)
  summary: CourseSummary;

  @IsRfc3339()
  completedAt: string;
}
