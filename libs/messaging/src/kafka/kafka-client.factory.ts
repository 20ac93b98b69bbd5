import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type logCreator } from 'kafkajs';
import { cacheCoordinators } from './coordinator-cache';
import { skipIdleRequestQueueChecks } from './request-queue-idle-fix';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** SCRAM-SHA-256 credentials of the service's principal; omit only for a broker without SASL. */
  sasl?: { username: string; password: string };
  ssl?: boolean;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

// kafkajs log entries carry request metadata and, on some errors, broker responses; we pass on only
// the message, namespace and error text so no payload or header can leak into the logs.
const SAFE_LOG_FIELDS = [
  'error',
  'groupId',
  'topic',
  'partition',
  'retryCount',
  'retryTime',
  'broker',
  'clientId',
];

/**
 * Errors kafkajs logs at ERROR although it retries them and they are part of normal operation: a
 * transaction begun while the coordinator still completes the previous one (CONCURRENT_TRANSACTIONS,
 * retried after 20 ms, see TransactionalProcessor), and a group or transaction coordinator that is
 * still loading, not yet available or has moved, as after a broker start. Logged at debug, so that operations' ERROR lines mean something; if a retry gives up, the
 * caller's own failure is logged.
 */
const ROUTINE_RETRIES = [
  /another concurrent operation on the same transaction/i,
  /coordinator is loading/i,
  /group coordinator is not available/i,
  /not the correct coordinator/i,
];

/**
 * The Nest log level of a kafkajs entry: its own, except for routine retries (debug). kafkajs puts the
 * broker's error text in `error` on some entries and into the message itself on others (the
 * producer's "Failed to send messages: ..." on every retry of a send), so both are looked at.
 */
export function nestLevelOf(level: logLevel, error: unknown, message?: string): 'error' | 'warn' | 'debug' {
  const routine = (text: unknown): boolean =>
    typeof text === 'string' && ROUTINE_RETRIES.some((pattern) => pattern.test(text));
  if (routine(error) || routine(message)) return 'debug';
  if (level === logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  return 'debug';
}

function nestLogCreator(): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const logger = new Logger(`kafkajs${namespace ? `:${namespace}` : ''}`);
      const extra = SAFE_LOG_FIELDS.filter((field) => log[field] !== undefined)
        .map((field) => `${field}=${String(log[field])}`)
        .join(' ');
      const line = extra ? `${log.message} (${extra})` : log.message;
      logger[nestLevelOf(level, log.error, log.message)](line);
    };
}

/**
 * One Kafka client per process and principal; producers and consumers are created from it. Its
 * clusters keep the coordinators they found (see coordinator-cache.ts), and its connections do not
 * spin while idle (see request-queue-idle-fix.ts).
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  skipIdleRequestQueueChecks();
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(),
  };
  if (options.sasl) {
    config.sasl = {
      mechanism: 'scram-sha-256',
      username: options.sasl.username,
      password: options.sasl.password,
    };
  }
  return cacheCoordinators(new Kafka(config));
}
