import { BaseServiceEnv, ToInt } from '@samverkan/config';
import { TOPIC_PREFIX } from '@samverkan/contracts';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The router's environment. The pseudonym key is read from ROUTER_PSEUDONYM_KEY_FILE (a mounted
 * secret; preferred) or ROUTER_PSEUDONYM_KEY, exactly one of the two; loadRouterKeys() checks that
 * and the key's length at boot. Validation messages name the variable and the rule, never a value.
 */
export class RouterEnv extends BaseServiceEnv {
  @IsOptional()
  @IsString({ message: 'must be the path of the pseudonym key file' })
  ROUTER_PSEUDONYM_KEY_FILE?: string;

  @IsOptional()
  @IsString({ message: 'must be the pseudonym key (prefer ROUTER_PSEUDONYM_KEY_FILE)' })
  ROUTER_PSEUDONYM_KEY?: string;

  /**
   * Names this instance's Kafka transactional id (`samverkan.router.<id>`): stable across restarts of
   * the same instance (so a restart fences its zombie) and unique across instances (e.g. the pod
   * name of a StatefulSet). Defaults to the host name.
   */
  @IsOptional()
  @Matches(NAME, { message: 'must be letters, digits, . _ - (a stable instance name)' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  ROUTER_INSTANCE_ID?: string;

  /**
   * Topic namespace: `<ns>.source.<service>` in, `<ns>.audience.<audience>` out, `<ns>.dlq.<group>`
   * for dead letters. Always `samverkan` in a deployment (the ACLs are declared for it); tests give
   * each run a namespace of its own.
   */
  @Matches(NAME, { message: 'must be letters, digits, . _ - (a topic name prefix)' })
  ROUTER_TOPIC_NAMESPACE: string = TOPIC_PREFIX;

  /** The router's consumer group; `router` in a deployment (the ACLs name it). */
  @Matches(NAME, { message: 'must be letters, digits, . _ - (a consumer group id)' })
  @MinLength(1)
  ROUTER_CONSUMER_GROUP: string = 'router';

  /**
   * Copies buffered before they are sent inside the open Kafka transaction (they become visible only
   * at its commit either way): bounds the router's memory on a large batch.
   */
  @ToInt()
  @IsInt({ message: 'must be an integer from 1 to 100000' })
  @Min(1, { message: 'must be an integer from 1 to 100000' })
  @Max(100_000, { message: 'must be an integer from 1 to 100000' })
  ROUTER_MAX_BUFFERED_OUTPUTS: number = 1000;
}
