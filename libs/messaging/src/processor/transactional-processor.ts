import { Logger } from '@nestjs/common';
import {
  ContractViolation,
  decodeCloudEvent,
  dlqTopic,
  encodeCloudEvent,
  type CloudEvent,
} from '@samverkan/contracts';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Message,
  type Producer,
} from 'kafkajs';
import { buildDeadLetter, DeadLetterReason } from '../dead-letter/dead-letter';
import { classifyError, type ClassifiedError } from '../errors/messaging-error';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
  type RetryPolicy,
} from '../retry/backoff';

/** One message the transform wants written, e.g. a transformed copy for an audience topic. */
export interface ProcessorOutput {
  topic: string;
  event: CloudEvent;
}

export interface ProcessorInput {
  event: CloudEvent;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
}

/**
 * Maps one consumed event to zero or more output events. It may be retried, so it must not have
 * effects outside Kafka that cannot bear a repeat (write those idempotently, keyed by event id).
 */
export type ProcessorTransform = (input: ProcessorInput) => Promise<ProcessorOutput[]> | ProcessorOutput[];

export interface TransactionalProcessorOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /**
   * Must be stable per instance and unique across instances (e.g. `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${podName}`):
   * a restarted instance with the same id fences its zombie predecessor.
   */
  transactionalId: string;
  transform: ProcessorTransform;
  retry?: Partial<RetryPolicy>;
  fromBeginning?: boolean;
  deadLetterTopic?: string;
  transactionTimeoutMs?: number;
  sessionTimeoutMs?: number;
  /** Outputs buffered before they are sent (still inside the open transaction); default 1000. */
  maxBufferedOutputs?: number;
  /**
   * Called once per batch after its last transform and before the Kafka transaction commits (with
   * the consumed offsets). A transform that gathers effects outside Kafka, e.g. database rows, writes
   * them here in one go instead of once per event. The write must be idempotent: a crash between it
   * and the Kafka commit makes the batch be processed again. Throwing aborts the Kafka transaction,
   * and the batch is processed again.
   */
  beforeCommit?: (batch: ProcessorBatch) => Promise<void>;
  /** Called when a batch's Kafka transaction is aborted, so a transform can drop what it gathered. */
  onAbort?: (batch: ProcessorBatch) => Promise<void> | void;
}

/** The batch a hook is called for: one partition of one topic, processed by one transaction. */
export interface ProcessorBatch {
  topic: string;
  partition: number;
}

function countPending(pending: Map<string, Message[]>): number {
  let n = 0;
  for (const list of pending.values()) n += list.length;
  return n;
}

function enqueue(pending: Map<string, Message[]>, topic: string, message: Message): void {
  const list = pending.get(topic);
  if (list) list.push(message);
  else pending.set(topic, [message]);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consume-transform-produce with Kafka transactions: the outputs of a batch, its dead letters and the
 * consumed offsets are committed atomically, so downstream read_committed consumers see every input's
 * outputs exactly once, or (after an abort) not at all and then again on redelivery.
 *
 * kafkajs 2.2.4 has no KIP-447 group-metadata fencing, so zombie fencing relies on the static
 * transactional id: keep one id per instance slot and never run two live instances with the same id.
 */
export class TransactionalProcessor {
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly deadLetterTopic: string;
  private readonly maxBufferedOutputs: number;
  private consumer?: Consumer;
  private producer?: Producer;
  private running = false;

  constructor(private readonly options: TransactionalProcessorOptions) {
    this.logger = new Logger(`TransactionalProcessor:${options.groupId}`);
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.deadLetterTopic = options.deadLetterTopic ?? dlqTopic(options.groupId);
    this.maxBufferedOutputs = Math.max(1, options.maxBufferedOutputs ?? 1000);
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { kafka, groupId } = this.options;
    this.producer = kafka.producer({
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? 60_000,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    this.consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      // Offsets travel inside the producer's transaction (sendOffsets), never through the consumer.
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    // Also after a start that failed half-way: disconnect whatever got connected.
    this.running = false;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const producer = this.producer;
    if (!producer || batch.messages.length === 0) return;
    const transaction = await producer.transaction();
    let lastProcessed: KafkaMessage | undefined;
    // Outputs go out in input order, one request per flush; flushing early bounds memory for big batches.
    const pending = new Map<string, Message[]>();
    let buffered = 0;
    const flush = async (): Promise<void> => {
      if (pending.size === 0) return;
      await transaction.sendBatch({
        acks: -1,
        topicMessages: [...pending].map(([topic, messages]) => ({ topic, messages })),
      });
      pending.clear();
      buffered = 0;
    };
    try {
      for (const message of batch.messages) {
        if (payload.isStale()) break;
        const sizeBefore = countPending(pending);
        const outcome = await this.processMessage(pending, batch.topic, batch.partition, message, payload);
        if (outcome === 'interrupted') break;
        lastProcessed = message;
        buffered += countPending(pending) - sizeBefore;
        if (buffered >= this.maxBufferedOutputs) await flush();
        await payload.heartbeat();
      }
      if (!lastProcessed) {
        await transaction.abort();
        await this.options.onAbort?.({ topic: batch.topic, partition: batch.partition });
        return;
      }
      await flush();
      await this.options.beforeCommit?.({ topic: batch.topic, partition: batch.partition });
      // When the whole batch is done, commit past any trailing control records too.
      const next =
        lastProcessed === batch.messages[batch.messages.length - 1]
          ? (BigInt(batch.lastOffset()) + 1n).toString()
          : (BigInt(lastProcessed.offset) + 1n).toString();
      await transaction.sendOffsets({
        consumerGroupId: this.options.groupId,
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
      await transaction.commit();
      payload.resolveOffset(lastProcessed.offset);
    } catch (error) {
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      await Promise.resolve(this.options.onAbort?.({ topic: batch.topic, partition: batch.partition })).catch(
        () => undefined,
      );
      // Rethrowing makes kafkajs restart the consumer from the last committed offsets: the aborted
      // outputs are invisible to read_committed readers and the batch is processed again.
      this.logger.warn(
        `Transaction for ${batch.topic}[${batch.partition}] aborted: ${classifyError(error).message}`,
      );
      throw error;
    }
  }

  private async processMessage(
    pending: Map<string, Message[]>,
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<'done' | 'interrupted'> {
    let event: CloudEvent;
    try {
      event = decodeCloudEvent(message.headers ?? {}, message.value);
    } catch (error) {
      // Anything but a contract violation is a fault of ours, not of the message (see InboxConsumer).
      if (!(error instanceof ContractViolation)) throw error;
      this.deadLetter(
        pending,
        topic,
        partition,
        message,
        DeadLetterReason.InvalidMessage,
        classifyError(error),
        1,
      );
      return 'done';
    }
    for (let attempt = 1; ; attempt++) {
      let outputs: ProcessorOutput[];
      try {
        outputs = await this.options.transform({ event, topic, partition, offset: message.offset, attempt });
      } catch (error) {
        const classified = classifyError(error);
        if (classified.disposition === 'dead-letter' || attempt >= this.retry.attempts) {
          const reason =
            classified.disposition === 'dead-letter'
              ? DeadLetterReason.Permanent
              : DeadLetterReason.RetriesExhausted;
          this.deadLetter(pending, topic, partition, message, reason, classified, attempt);
          return 'done';
        }
        this.logger.warn(
          `Transform of ${event.type} failed (attempt ${attempt}): ${classified.errorClass}; retrying`,
        );
        if (!this.running || !payload.isRunning()) return 'interrupted';
        await sleep(backoffDelayMs(attempt, this.retry));
        await payload.heartbeat();
        continue;
      }
      for (const output of outputs) enqueue(pending, output.topic, encodeCloudEvent(output.event));
      return 'done';
    }
  }

  private deadLetter(
    pending: Map<string, Message[]>,
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: Pick<ClassifiedError, 'errorClass' | 'code' | 'message'>,
    attempts: number,
  ): void {
    this.logger.warn(
      `Dead-lettering ${topic}[${partition}]@${message.offset}: ${reason} (${error.errorClass})`,
    );
    enqueue(
      pending,
      this.deadLetterTopic,
      buildDeadLetter({
        topic,
        partition,
        message,
        consumerGroup: this.options.groupId,
        reason,
        error,
        attempts,
      }),
    );
  }
}
