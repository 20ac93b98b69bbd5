import {
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { NotInProduction, ToClockOffsetMs } from './clock-offset';
import { CommaSeparated, ToInt } from './env-transforms';

export const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** NestJS logger levels, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The levels a Nest logger should enable for a configured minimum level. */
export function logLevelsFrom(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const POSTGRES_URL = /^postgres(ql)?:\/\/[^\s]+$/;

/**
 * What every hub service needs. An app extends it with its own variables:
 *
 *   class RouterEnv extends BaseServiceEnv { @IsString() PSEUDONYM_KEY_FILE: string; }
 *   const env = validateEnv(RouterEnv);
 */
export class BaseServiceEnv {
  @CommaSeparated()
  @ArrayMinSize(1, { message: 'must be a comma-separated list of host:port' })
  @Matches(HOST_PORT, { each: true, message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[];

  @IsString({ message: 'is required (the service SCRAM user name)' })
  @IsNotEmpty({ message: 'is required (the service SCRAM user name)' })
  KAFKA_USERNAME: string;

  @IsString({ message: 'is required (the service SCRAM password)' })
  @IsNotEmpty({ message: 'is required (the service SCRAM password)' })
  KAFKA_PASSWORD: string;

  @IsIn(SASL_MECHANISMS, { message: `must be one of ${SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM: SaslMechanism = 'scram-sha-256';

  @Matches(POSTGRES_URL, { message: 'must be a postgres:// or postgresql:// connection URL' })
  DATABASE_URL: string;

  /**
   * Connections in the service's pool. A request holds one for its statement's round trip, so under
   * load the pool bounds the rate a service can take (pool size / statement latency); the relay and
   * the consumer kit hold their own on top. Mind the server's max_connections across all services.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer between 2 and 200' })
  @Min(2, { message: 'must be an integer between 2 and 200' })
  @Max(200, { message: 'must be an integer between 2 and 200' })
  DATABASE_POOL_SIZE: number = 10;

  @ToInt()
  @IsInt({ message: 'must be an integer port between 1 and 65535' })
  @Min(1, { message: 'must be an integer port between 1 and 65535' })
  @Max(65535, { message: 'must be an integer port between 1 and 65535' })
  PORT: number = 3000;

  /** Interface to listen on; the platform decides when unset. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:-]+$/, { message: 'must be a host name or IP address' })
  HOST?: string;

  /** SCB municipality code of the deployment (0781 = Ljungby). */
  @Matches(/^\d{4}$/, { message: 'must be a four-digit SCB municipality code, e.g. 0781' })
  MUNICIPALITY: string = '0781';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'log';

  /** Only read to refuse simulated time in production. */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  NODE_ENV?: string;

  /**
   * Simulated time: the service's clock runs this far from real time (`-16d`, `+2h`, `-1d12h`), for
   * demos and local runs that need reports received days ago. Read by the platform's Clock; refused
   * when NODE_ENV=production. In milliseconds once validated.
   */
  @IsOptional()
  @ToClockOffsetMs()
  @IsInt({ message: 'must be a signed duration such as -16d, +2h or -1d12h30m' })
  @NotInProduction()
  CLOCK_OFFSET?: number;
}
