import { BaseServiceEnv, ToInt } from '@samverkan/config';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Environment of apps/leisure (kultur och fritid, and anyone who runs parent courses and child
 * groups). The bearer-token settings (AUTH_*) are read by @samverkan/auth.
 */
export class LeisureEnv extends BaseServiceEnv {
  override PORT: number = 3003;

  /**
   * "Close to the start": free places on a course whose first session is at most this many days
   * away (Stockholm dates) are announced with course.places-available.v1.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer number of days between 0 and 365' })
  @Min(0, { message: 'must be an integer number of days between 0 and 365' })
  @Max(365, { message: 'must be an integer number of days between 0 and 365' })
  PLACES_AVAILABLE_WINDOW_DAYS: number = 14;

  /**
   * How often courses are checked for places that are free as they come within the window (a
   * withdrawal inside the window announces at once). 0 turns the periodic check off.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer number of minutes between 0 and 1440' })
  @Min(0, { message: 'must be an integer number of minutes between 0 and 1440' })
  @Max(1440, { message: 'must be an integer number of minutes between 0 and 1440' })
  PLACES_AVAILABLE_SWEEP_MINUTES: number = 60;
}
