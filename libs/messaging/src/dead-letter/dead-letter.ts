import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { ClassifiedError } from '../errors/messaging-error';

/** Headers added to a dead letter; the original headers, key and value are kept unchanged. */
export const DLQ_HEADERS = {
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  consumerGroup: 'dlq_consumer_group',
  reason: 'dlq_reason',
  errorClass: 'dlq_error_class',
  errorCode: 'dlq_error_code',
  errorMessage: 'dlq_error_message',
  attempts: 'dlq_attempts',
  failedAt: 'dlq_failed_at',
} as const;

export enum DeadLetterReason {
  /** decodeCloudEvent rejected the envelope or the data. */
  InvalidMessage = 'invalid-message',
  /** The handler (or transform) declared the error permanent. */
  Permanent = 'permanent-error',
  /** Every retry failed. */
  RetriesExhausted = 'retries-exhausted',
  /** The consumer has no handler for the event type. */
  NoHandler = 'no-handler',
}

export interface DeadLetterInput {
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  consumerGroup: string;
  reason: DeadLetterReason;
  error: Pick<ClassifiedError, 'errorClass' | 'code' | 'message'>;
  attempts: number;
  now?: Date;
}

/**
 * Builds the dead letter for a failed message. The error text comes from `classifyError`, which takes
 * only the error's class, code and (truncated) message — never the payload.
 */
export function buildDeadLetter(input: DeadLetterInput): Message {
  const headers: IHeaders = { ...(input.message.headers ?? {}) };
  headers[DLQ_HEADERS.originalTopic] = input.topic;
  headers[DLQ_HEADERS.originalPartition] = String(input.partition);
  headers[DLQ_HEADERS.originalOffset] = input.message.offset;
  headers[DLQ_HEADERS.consumerGroup] = input.consumerGroup;
  headers[DLQ_HEADERS.reason] = input.reason;
  headers[DLQ_HEADERS.errorClass] = input.error.errorClass;
  if (input.error.code !== undefined) headers[DLQ_HEADERS.errorCode] = input.error.code;
  headers[DLQ_HEADERS.errorMessage] = input.error.message;
  headers[DLQ_HEADERS.attempts] = String(input.attempts);
  headers[DLQ_HEADERS.failedAt] = (input.now ?? new Date()).toISOString();
  return { key: input.message.key, value: input.message.value, headers };
}
