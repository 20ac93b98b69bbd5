/**
 * What the service kit needs from an app's validated environment. Each app's env class (a
 * class-validator class extending @samverkan/config's BaseServiceEnv) satisfies it structurally.
 */
export interface ServiceEnvLike {
  KAFKA_BROKERS: string[];
  KAFKA_USERNAME: string;
  KAFKA_PASSWORD: string;
  DATABASE_URL: string;
  /** Connections in the pool; 10 when unset (an env object built by hand, as tests do). */
  DATABASE_POOL_SIZE?: number;
  PORT: number;
  MUNICIPALITY: string;
  HOST?: string;
  /** Simulated time (ms from real time), validated by BaseServiceEnv; unset in production. */
  CLOCK_OFFSET?: number;
}
