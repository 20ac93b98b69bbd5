import { BaseServiceEnv, CommaSeparated, ToBoolean, ToInt } from '@samverkan/config';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Environment of apps/operations. The sampler reads every consumer group's offsets every
 * OPERATIONS_SAMPLE_INTERVAL_SECONDS and keeps OPERATIONS_HISTORY_MINUTES of history in memory;
 * a partition's status is judged over the last OPERATIONS_STATUS_WINDOW samples (Burrow's window).
 */
export class OperationsEnv extends BaseServiceEnv {
  override PORT: number = 3006;

  @ToInt()
  @IsInt({ message: 'must be an integer number of seconds between 1 and 300' })
  @Min(1, { message: 'must be an integer number of seconds between 1 and 300' })
  @Max(300, { message: 'must be an integer number of seconds between 1 and 300' })
  OPERATIONS_SAMPLE_INTERVAL_SECONDS: number = 10;

  @ToInt()
  @IsInt({ message: 'must be an integer between 2 and 360' })
  @Min(2, { message: 'must be an integer between 2 and 360' })
  @Max(360, { message: 'must be an integer between 2 and 360' })
  OPERATIONS_STATUS_WINDOW: number = 10;

  @ToInt()
  @IsInt({ message: 'must be an integer number of minutes between 1 and 1440' })
  @Min(1, { message: 'must be an integer number of minutes between 1 and 1440' })
  @Max(1440, { message: 'must be an integer number of minutes between 1 and 1440' })
  OPERATIONS_HISTORY_MINUTES: number = 60;

  /** Off in tests that drive sampling themselves. */
  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  OPERATIONS_SAMPLER_ENABLED: boolean = true;

  /** Groups Kafka lists whose id matches this are not watched (operations' own readers by default). */
  @IsString({ message: 'must be a regular expression' })
  OPERATIONS_IGNORE_GROUPS: string = '^operations\\.';

  /** `name=url` pairs of the apps whose /health the console shows, e.g. `education=http://127.0.0.1:3001`. */
  @CommaSeparated()
  @Matches(/^[a-z0-9-]+=https?:\/\/[^\s,]+$/, {
    each: true,
    message: 'must be a comma-separated list of name=http(s)://host:port',
  })
  OPERATIONS_SERVICE_URLS: string[] = [];
}
