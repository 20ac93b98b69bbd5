import type { KafkaAdminConnection } from '@samverkan/messaging';
import type { OperationsEnv } from '../config/operations.env';

/** Operations talks to Kafka as its own principal (describe everything, read/write dead letters). */
export function kafkaConnectionOf(env: OperationsEnv): KafkaAdminConnection {
  return {
    brokers: env.KAFKA_BROKERS,
    username: env.KAFKA_USERNAME,
    password: env.KAFKA_PASSWORD,
    mechanism: env.KAFKA_SASL_MECHANISM === 'plain' ? undefined : env.KAFKA_SASL_MECHANISM,
    clientId: 'operations',
  };
}

/** Consumer group ids are Kafka names: letters, digits, `.`, `_`, `-`. */
export const GROUP_ID_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
