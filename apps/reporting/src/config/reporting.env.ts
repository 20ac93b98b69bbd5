import { BaseServiceEnv, ToInt } from '@samverkan/config';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Environment of apps/reporting. Bearer-token settings (AUTH_*) are read by @samverkan/auth.
 */
export class ReportingEnv extends BaseServiceEnv {
  override PORT: number = 3005;

  /**
   * k of the small-count protection: counts from 1 to k−1 are never shown, and cohorts smaller
   * than k are refused. 5 is common practice in Swedish official statistics.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer from 2 to 100' })
  @Min(2, { message: 'must be an integer from 2 to 100' })
  @Max(100, { message: 'must be an integer from 2 to 100' })
  REPORTING_MIN_CELL_SIZE: number = 5;
}
