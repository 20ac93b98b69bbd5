import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../common/validators';

export class CourseSession {
  /** 1-based position in the session plan. */
  @IsInt()
  @Min(1)
  @Max(100)
  number: number;

  @IsCalendarDate()
  date: string;

  /** Local start time HH:MM (Europe/Stockholm). */
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM' })
  startTime?: string;

  @IsInt()
  @Min(15)
  @Max(600)
  minutes: number;
}
