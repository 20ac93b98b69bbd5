import { Logger } from '@nestjs/common';
import { ContractViolation, decodeCloudEvent, dlqTopic, type CloudEvent } from '@samverkan/contracts';
import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { buildDeadLetter, DeadLetterReason } from '../dead-letter/dead-letter';
import { classifyError, MessagingErrorCode, type ClassifiedError } from '../errors/messaging-error';
import { INBOX_TABLE } from '../inbox/inbox-record.entity';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
  type RetryPolicy,
} from '../retry/backoff';
import type { EventHandler, EventHandlers, MessageContext } from './message-context';

/** Untyped form of a handler, as the kit calls it. */
export type RawEventHandler = (event: CloudEvent, context: MessageContext) => Promise<void>;

export type NoHandlerPolicy = 'dead-letter' | 'skip';

export interface InboxConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** Consumer group; also the inbox's key and the DLQ's name (`samverkan.dlq.<group>`). */
  groupId: string;
  topics: string[];
  /** Returns the handler for an event type, or undefined. */
  resolveHandler: (type: string) => RawEventHandler | undefined;
  retry?: Partial<RetryPolicy>;
  /** What to do with an event type nobody handles; default: dead-letter it with reason `no-handler`. */
  onNoHandler?: NoHandlerPolicy;
  /** Where a new group starts; default true (an audience topic is processed from its beginning). */
  fromBeginning?: boolean;
  /** Defaults to dlqTopic(groupId) from the topology. */
  deadLetterTopic?: string;
  /** Partitions processed in parallel (order is kept within each). */
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Resolved offsets are committed at the end of each batch and at least this often inside one. */
  commitIntervalMs?: number;
}

type Outcome = 'done' | 'interrupted';

/** Turns a typed handler map into a resolver. */
export function resolverFromHandlers(handlers: EventHandlers): (type: string) => RawEventHandler | undefined {
  return (type) => {
    const handler = (handlers as Record<string, EventHandler | undefined>)[type];
    if (!handler) return undefined;
    return async (event, context) => {
      await handler(event.data as never, context);
    };
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer kit: batch consumption, an inbox in the handler's transaction, bounded retries with
 * backoff and a dead-letter topic. Effects are exactly-once although delivery is at-least-once,
 * because the inbox row (group, event id) and the effect commit or roll back together, and offsets
 * are committed only after that commit.
 */
export class InboxConsumer {
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly deadLetterTopic: string;
  private consumer?: Consumer;
  private producer?: Producer;
  private running = false;

  constructor(private readonly options: InboxConsumerOptions) {
    this.logger = new Logger(`InboxConsumer:${options.groupId}`);
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.deadLetterTopic = options.deadLetterTopic ?? dlqTopic(options.groupId);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { kafka, groupId } = this.options;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    // readUncommitted defaults to false in kafkajs: we read only committed transactional writes.
    this.consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      // We resolve each offset only after its transaction committed; an interrupted batch must not
      // be resolved wholesale.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Finishes the batch in flight (without starting new retry waits), commits, and disconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const commitEvery = this.options.commitIntervalMs ?? 1_000;
    let lastCommit = Date.now();
    const commit = async (): Promise<void> => {
      const offsets = payload.uncommittedOffsets();
      if (offsets.topics.length > 0) await payload.commitOffsetsIfNecessary(offsets);
      lastCommit = Date.now();
    };
    try {
      for (const message of batch.messages) {
        if (payload.isStale()) break;
        const outcome = await this.processMessage(batch.topic, batch.partition, message, payload);
        if (outcome === 'interrupted') break;
        payload.resolveOffset(message.offset);
        await payload.heartbeat();
        if (Date.now() - lastCommit >= commitEvery) await commit();
      }
    } finally {
      // Whatever was resolved has its transaction committed: commit it even when leaving early.
      await commit();
    }
  }

  private async processMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<Outcome> {
    let event: CloudEvent;
    try {
      event = decodeCloudEvent(message.headers ?? {}, message.value);
    } catch (error) {
      // Anything but a contract violation is a fault of ours, not of the message: do not dead-letter a
      // valid message for it; failing the batch makes kafkajs restart and redeliver.
      if (!(error instanceof ContractViolation)) throw error;
      await this.deadLetter(
        topic,
        partition,
        message,
        DeadLetterReason.InvalidMessage,
        classifyError(error),
        1,
      );
      return 'done';
    }
    const handler = this.options.resolveHandler(event.type);
    if (!handler) {
      if ((this.options.onNoHandler ?? 'dead-letter') === 'skip') return 'done';
      await this.deadLetter(
        topic,
        partition,
        message,
        DeadLetterReason.NoHandler,
        { errorClass: 'NoHandler', code: MessagingErrorCode.NoHandler, message: 'no handler' },
        0,
      );
      return 'done';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.runInTransaction(event, handler, { topic, partition, offset: message.offset, attempt });
        return 'done';
      } catch (error) {
        const classified = classifyError(error);
        if (classified.disposition === 'dead-letter') {
          await this.deadLetter(topic, partition, message, DeadLetterReason.Permanent, classified, attempt);
          return 'done';
        }
        if (attempt >= this.retry.attempts) {
          await this.deadLetter(
            topic,
            partition,
            message,
            DeadLetterReason.RetriesExhausted,
            classified,
            attempt,
          );
          return 'done';
        }
        this.logger.warn(
          `Handler for ${event.type} failed (attempt ${attempt}/${this.retry.attempts}, ${classified.errorClass}` +
            `${classified.code ? ` ${classified.code}` : ''}: ${classified.message}); retrying`,
        );
        // Shutting down: leave the message unresolved for whoever gets the partition next.
        if (!this.running || !payload.isRunning()) return 'interrupted';
        const completed = await this.waitWithHeartbeat(backoffDelayMs(attempt, this.retry), payload);
        if (!completed) return 'interrupted';
      }
    }
  }

  /** Sleeps in short slices, heartbeating so a long backoff does not cost the partition assignment. */
  private async waitWithHeartbeat(ms: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!this.running || !payload.isRunning() || payload.isStale()) return false;
      await sleep(Math.min(500, until - Date.now()));
      await payload.heartbeat();
    }
    return true;
  }

  private async runInTransaction(
    event: CloudEvent,
    handler: RawEventHandler,
    position: { topic: string; partition: number; offset: string; attempt: number },
  ): Promise<void> {
    const { groupId } = this.options;
    await this.options.dataSource.transaction(async (manager: EntityManager) => {
      // A concurrent duplicate (during a rebalance) blocks here until the first commits, then skips.
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [groupId, event.id, event.type],
      );
      if (inserted.length === 0) return;
      const context: MessageContext = {
        event: event as MessageContext['event'],
        manager,
        consumerGroup: groupId,
        ...position,
      };
      await handler(event, context);
    });
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: Pick<ClassifiedError, 'errorClass' | 'code' | 'message'>,
    attempts: number,
  ): Promise<void> {
    if (!this.producer) throw new Error('InboxConsumer is not started');
    this.logger.warn(
      `Dead-lettering ${topic}[${partition}]@${message.offset}: ${reason} (${error.errorClass}${error.code ? ` ${error.code}` : ''})`,
    );
    await this.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [
        buildDeadLetter({
          topic,
          partition,
          message,
          consumerGroup: this.options.groupId,
          reason,
          error,
          attempts,
        }),
      ],
    });
  }
}
