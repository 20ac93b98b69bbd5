import { BaseServiceEnv, CommaSeparated, ToBoolean } from '@samverkan/config';
import { IsBoolean, Matches } from 'class-validator';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Environment of apps/social-services. The intake office hours decide when a concern report counts
 * as arriving "after office hours" (protection assessment due the next working day instead of the
 * same day); the municipality's own closing days (klämdagar) are not working days either.
 */
export class SocialServicesEnv extends BaseServiceEnv {
  override PORT: number = 3002;

  @Matches(TIME, { message: 'must be a time HH:MM' })
  INTAKE_OFFICE_OPENS: string = '08:00';

  @Matches(TIME, { message: 'must be a time HH:MM' })
  INTAKE_OFFICE_CLOSES: string = '17:00';

  @CommaSeparated()
  @Matches(DATE, { each: true, message: 'must be a comma-separated list of dates YYYY-MM-DD' })
  INTAKE_EXTRA_NON_WORKING_DAYS: string[] = [];

  /**
   * Move a decision deadline that falls on a non-working day to the next working day (lag 1930:173).
   * Off by default: the stricter reading, until the board decides otherwise.
   */
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  INTAKE_DECISION_DUE_ON_WORKING_DAY: boolean = false;
}
