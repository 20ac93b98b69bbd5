import { IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { Nested } from '../common/personal-data';
import { OrganisationUnit } from '../common/shared';
import { IsCalendarDate, IsCatalogCode, IsRfc3339 } from '../common/validators';
import { COURSE_KINDS } from './course-kinds';

/** Places opened up close to the start: the cross-district place exchange the seeds ask for. */
export class CoursePlacesAvailableV1 {
  @IsUUID()
  courseId: string;

  @IsCatalogCode(COURSE_KINDS)
  catalogCode: string;

  @Nested(() => OrganisationUnit)
  organisingUnit: OrganisationUnit;

  @IsInt()
  @Min(1)
  placesAvailable: number;

  @IsInt()
  @Min(1)
  @Max(500)
  capacity: number;

  @IsCalendarDate()
  startsOn: string;

  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 language code' })
  language: string;

  @IsRfc3339()
  publishedAt: string;
}
