import { BaseServiceEnv, ToInt } from '@samverkan/config';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Environment of apps/education (school, preschool, elevhälsa). Everything it needs is in
 * BaseServiceEnv; the bearer-token settings (AUTH_*) are read by @samverkan/auth.
 */
export class EducationEnv extends BaseServiceEnv {
  override PORT: number = 3001;

  /**
   * Education takes the hub's HTTP intake (concern reports in bursts). Filing uses at most
   * CONCERN_REPORT_WRITERS of these connections; the rest serve the other endpoints, which hold one
   * for a statement's round trip each (with 10 the pool had capped the intake before filing was
   * grouped).
   */
  override DATABASE_POOL_SIZE: number = 30;

  /**
   * Concern-report statements in flight at once. Concurrent POSTs are written together (group
   * commit, see ConcernReportsService.file): while these are busy, what arrives queues and goes as
   * the next statement. A few suffice; many only make PostgreSQL's backends contend.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer between 1 and 32' })
  @Min(1, { message: 'must be an integer between 1 and 32' })
  @Max(32, { message: 'must be an integer between 1 and 32' })
  CONCERN_REPORT_WRITERS: number = 4;
}
