import { BaseServiceEnv } from '@samverkan/config';

/**
 * Environment of apps/education (school, preschool, elevhälsa). Everything it needs is in
 * BaseServiceEnv; the bearer-token settings (AUTH_*) are read by @samverkan/auth.
 */
export class EducationEnv extends BaseServiceEnv {
  override PORT: number = 3001;

  /**
   * Education takes the hub's HTTP intake (concern reports in bursts): each POST holds a connection
   * for its one statement, and with 10 the pool, not the server, capped bench:pipeline at ≈ 280
   * reports/s (the process idle 75 % of the time); 30 took it past 350/s on the same machine.
   */
  override DATABASE_POOL_SIZE: number = 30;
}
