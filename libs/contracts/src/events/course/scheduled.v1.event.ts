import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Nested } from '../common/personal-data';
import { AgeRange, OrganisationUnit } from '../common/shared';
import { IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';
import { CourseSession } from './course-session';

/** A course (a parent programme or child group run from the catalog) was scheduled. */
export class CourseScheduledV1 {
  @IsUUID()
  courseId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  /** Organizing unit; its municipality and district place the course in the place exchange. */
  @Nested(() => OrganisationUnit)
  organisingUnit: OrganisationUnit;

  @IsInt()
  @Min(1)
  @Max(500)
  capacity: number;

  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Nested(() => CourseSession, { each: true })
  sessions: CourseSession[];

  /** ISO 639-1 language code of the sessions. */
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 language code' })
  language: string;

  /** Venue (a public place, not a home address). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  location?: string;

  @Nested(() => AgeRange)
  targetAges: AgeRange;

  @IsRfc3339()
  scheduledAt: string;
}
