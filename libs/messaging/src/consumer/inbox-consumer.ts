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
import type { BatchMessageContext, EventHandler, EventHandlers, MessageContext } from './message-context';

/** Untyped form of a handler, as the kit calls it. */
export type RawEventHandler = (event: CloudEvent, context: MessageContext) => Promise<void>;

/** Untyped form of a batch handler: consecutive events of one type, written in one go. */
export type RawBatchEventHandler = (events: CloudEvent[], context: BatchMessageContext) => Promise<void>;

export type NoHandlerPolicy = 'dead-letter' | 'skip';

export interface InboxConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** Consumer group; also the inbox's key and the DLQ's name (`samverkan.dlq.<group>`). */
  groupId: string;
  topics: string[];
  /** Returns the handler for an event type, or undefined. */
  resolveHandler: (type: string) => RawEventHandler | undefined;
  /**
   * Returns the batch handler for an event type, or undefined; it wins over `resolveHandler`. A run of
   * consecutive events of that type in a chunk goes to it in one call, so it can write their effects
   * with one multi-row statement instead of a round trip per event (the cost that dominates a
   * consumer: see bench:backbone). Runs keep the partition's order: an event of another type in
   * between ends the run. Retries and dead letters still concern single events: after a failure the
   * chunk is redone one event per transaction, the batch handler getting one-element batches.
   */
  resolveBatchHandler?: (type: string) => RawBatchEventHandler | undefined;
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
  /**
   * Resolved offsets are committed at most this often (default 1,000 ms), by the batch that finds the
   * interval elapsed or by a timer after the last batch; always on stop() and when a batch ends early.
   * The inbox makes a redelivery of what was applied but not yet committed harmless, so the interval
   * only bounds how much is read again after a crash or a rebalance, and how stale the group's lag is.
   */
  commitIntervalMs?: number;
  /**
   * Messages applied in one database transaction (default 20). One commit for many inbox rows and
   * effects is what makes the kit fast; if any handler in a chunk fails, the chunk rolls back and is
   * redone one message per transaction, so retries and dead letters still concern single messages.
   * Handlers must therefore keep their effects inside the given EntityManager. 1 disables chunking.
   */
  transactionChunkSize?: number;
}

type Outcome = 'done' | 'interrupted';

interface Work {
  message: KafkaMessage;
  event: CloudEvent;
  handler: RawEventHandler;
  /** Set when the event type has a batch handler (then `handler` calls it with this event alone). */
  batch?: RawBatchEventHandler;
}

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
  private readonly chunkSize: number;
  private consumer?: Consumer;
  private producer?: Producer;
  private running = false;
  private readonly commitIntervalMs: number;
  private lastCommitAt = 0;
  /** The latest batch's view of the group's resolved offsets, for the trailing commit. */
  private offsetsOf?: Pick<EachBatchPayload, 'uncommittedOffsets' | 'commitOffsetsIfNecessary'>;
  private trailingCommit?: NodeJS.Timeout;

  constructor(private readonly options: InboxConsumerOptions) {
    this.logger = new Logger(`InboxConsumer:${options.groupId}`);
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.deadLetterTopic = options.deadLetterTopic ?? dlqTopic(options.groupId);
    this.chunkSize = Math.max(1, options.transactionChunkSize ?? 20);
    this.commitIntervalMs = Math.max(0, options.commitIntervalMs ?? 1_000);
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
    this.lastCommitAt = Date.now();
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
    // Also after a start that failed half-way: disconnect whatever got connected.
    this.running = false;
    clearTimeout(this.trailingCommit);
    this.trailingCommit = undefined;
    // While still a member of the group (disconnect leaves it): what earlier batches resolved. The
    // batch in flight, if any, commits its own when it ends (it sees running = false).
    await this.commitResolved().catch((error: unknown) => this.commitFailed(error));
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  /**
   * An OffsetCommit per batch was a broker round trip the partition's next batch waited for, and at
   * hundreds of small batches a second it was a good part of the broker's work (bench:pipeline). The
   * inbox dedups what is redelivered, so offsets are committed at most every `commitIntervalMs`.
   */
  private async commitResolved(): Promise<void> {
    const view = this.offsetsOf;
    if (!view) return;
    const offsets = view.uncommittedOffsets();
    if (offsets.topics.length === 0) return;
    this.lastCommitAt = Date.now();
    await view.commitOffsetsIfNecessary(offsets);
  }

  private async commitIfDue(): Promise<void> {
    if (Date.now() - this.lastCommitAt >= this.commitIntervalMs) await this.commitResolved();
  }

  private commitFailed(error: unknown): void {
    // Not lost: the next commit carries these offsets too, and the inbox dedups a redelivery.
    this.logger.warn(
      `Committing offsets failed (${classifyError(error).errorClass}); retried with the next commit`,
    );
  }

  /** After a batch that did not commit: commit once the interval is up, unless another batch does. */
  private armTrailingCommit(): void {
    if (this.trailingCommit || !this.running) return;
    const wait = Math.max(0, this.lastCommitAt + this.commitIntervalMs - Date.now());
    this.trailingCommit = setTimeout(() => {
      this.trailingCommit = undefined;
      if (!this.running) return;
      this.commitResolved().catch((error: unknown) => this.commitFailed(error));
    }, wait);
    this.trailingCommit.unref();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    this.offsetsOf = payload;
    const settled = async (message: KafkaMessage): Promise<void> => {
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
      await this.commitIfDue();
    };
    let completed = false;
    let chunk: Work[] = [];
    const flushChunk = async (): Promise<Outcome> => {
      const items = chunk;
      chunk = [];
      if (items.length === 0) return 'done';
      const failure = await this.applyChunk(items, topic, partition, payload);
      if (!failure) {
        for (const item of items) await settled(item.message);
        return 'done';
      }
      // The chunk rolled back as a whole: redo it one message per transaction, so only the failing
      // message is retried or dead-lettered. The one that failed has had its first attempt.
      for (let i = 0; i < items.length; i++) {
        const prior = i === failure.index ? failure.error : undefined;
        const outcome = await this.handleWithRetries(items[i], topic, partition, payload, prior);
        if (outcome === 'interrupted') return 'interrupted';
        await settled(items[i].message);
      }
      return 'done';
    };
    try {
      for (const message of batch.messages) {
        if (payload.isStale()) return;
        const work = await this.prepare(topic, partition, message);
        if (work) {
          chunk.push(work);
          if (chunk.length >= this.chunkSize && (await flushChunk()) === 'interrupted') return;
          continue;
        }
        // Dead-lettered or skipped: settle it in order, after the messages before it.
        if ((await flushChunk()) === 'interrupted') return;
        await settled(message);
      }
      if (!payload.isStale()) await flushChunk();
      completed = true;
    } finally {
      // Whatever was resolved has its transaction committed. A batch that ends early (an error, a
      // seek, a stop) commits it now, before kafkajs restarts, rejoins or leaves the group.
      if (!completed || !this.running || payload.isStale()) await this.commitResolved();
      else {
        await this.commitIfDue();
        if (payload.uncommittedOffsets().topics.length > 0) this.armTrailingCommit();
      }
    }
  }

  /** Decodes a message and finds its handler; dead-letters (or skips) it and returns undefined if it cannot be handled. */
  private async prepare(topic: string, partition: number, message: KafkaMessage): Promise<Work | undefined> {
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
      return undefined;
    }
    const batch = this.options.resolveBatchHandler?.(event.type);
    const handler: RawEventHandler | undefined = batch
      ? (one, context) => batch([one], { ...context, events: [context.event], offsets: [context.offset] })
      : this.options.resolveHandler(event.type);
    if (!handler) {
      if ((this.options.onNoHandler ?? 'dead-letter') === 'skip') return undefined;
      await this.deadLetter(
        topic,
        partition,
        message,
        DeadLetterReason.NoHandler,
        { errorClass: 'NoHandler', code: MessagingErrorCode.NoHandler, message: 'no handler' },
        0,
      );
      return undefined;
    }
    return { message, event, handler, batch };
  }

  /**
   * Runs a chunk of messages in one database transaction (one commit for many inbox rows and effects).
   * Returns the index of the message whose handler failed (-1: the commit or a batch handler of several
   * events failed) and the error.
   */
  private async applyChunk(
    items: Work[],
    topic: string,
    partition: number,
    payload: EachBatchPayload,
  ): Promise<{ index: number; error: unknown } | undefined> {
    let current = -1;
    let heartbeatFailure: Error | undefined;
    try {
      await this.options.dataSource.transaction(async (manager: EntityManager) => {
        // One statement records the whole chunk in the inbox; only events new to this group run.
        const fresh = await this.recordInInbox(manager, items);
        for (let i = 0; i < items.length;) {
          const { event, handler, message, batch } = items[i];
          // A duplicate inside the chunk (a relay re-send next to the original) runs once.
          if (!fresh.delete(event.id)) {
            i++;
            continue;
          }
          // Slow handlers in a long chunk must not cost the group membership. A failed heartbeat (e.g. a
          // rebalance) is Kafka's business, not the handler's: roll back and let kafkajs deal with it.
          if (i > 0) {
            await payload.heartbeat().catch((error: unknown) => {
              heartbeatFailure = error instanceof Error ? error : new Error(String(error));
              throw heartbeatFailure;
            });
          }
          if (batch) {
            // The run of consecutive events of this type (duplicates dropped), in one call.
            const run = [items[i]];
            let next = i + 1;
            while (next < items.length && items[next].batch && items[next].event.type === event.type) {
              if (fresh.delete(items[next].event.id)) run.push(items[next]);
              next++;
            }
            // Which event of a failed run failed is unknown: none is charged with an attempt.
            current = run.length === 1 ? i : -1;
            const events = run.map((w) => w.event);
            await batch(events, {
              events: events as BatchMessageContext['events'],
              manager,
              consumerGroup: this.options.groupId,
              topic,
              partition,
              offsets: run.map((w) => w.message.offset),
              attempt: 1,
            });
            i = next;
            continue;
          }
          current = i;
          await handler(
            event,
            this.contextFor(manager, event, { topic, partition, offset: message.offset, attempt: 1 }),
          );
          i++;
        }
        current = -1;
      });
      return undefined;
    } catch (error) {
      if (heartbeatFailure !== undefined) throw heartbeatFailure;
      return { index: current, error };
    }
  }

  /** Inserts the chunk's event ids into the inbox; returns the ids that were not there yet. */
  private async recordInInbox(manager: EntityManager, items: Work[]): Promise<Set<string>> {
    // A concurrent duplicate (during a rebalance) blocks here until the first commits, then skips.
    const rows: Array<{ event_id: string }> = await manager.query(
      `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, event_type)
       SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS chunk(id, type)
       ON CONFLICT DO NOTHING RETURNING event_id::text`,
      [this.options.groupId, items.map((i) => i.event.id), items.map((i) => i.event.type)],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  private contextFor(
    manager: EntityManager,
    event: CloudEvent,
    position: { topic: string; partition: number; offset: string; attempt: number },
  ): MessageContext {
    return {
      event: event as MessageContext['event'],
      manager,
      consumerGroup: this.options.groupId,
      ...position,
    };
  }

  private async handleWithRetries(
    work: Work,
    topic: string,
    partition: number,
    payload: EachBatchPayload,
    priorError?: unknown,
  ): Promise<Outcome> {
    const { message, event } = work;
    let attempt = priorError === undefined ? 1 : 2;
    let error: unknown = priorError;
    for (;;) {
      if (error !== undefined) {
        const failed = attempt - 1;
        const classified = classifyError(error);
        if (classified.disposition === 'dead-letter') {
          await this.deadLetter(topic, partition, message, DeadLetterReason.Permanent, classified, failed);
          return 'done';
        }
        if (failed >= this.retry.attempts) {
          await this.deadLetter(
            topic,
            partition,
            message,
            DeadLetterReason.RetriesExhausted,
            classified,
            failed,
          );
          return 'done';
        }
        this.logger.warn(
          `Handler for ${event.type} failed (attempt ${failed}/${this.retry.attempts}, ${classified.errorClass}` +
            `${classified.code ? ` ${classified.code}` : ''}: ${classified.message}); retrying`,
        );
        // Shutting down: leave the message unresolved for whoever gets the partition next.
        if (!this.running || !payload.isRunning()) return 'interrupted';
        const completed = await this.waitWithHeartbeat(backoffDelayMs(failed, this.retry), payload);
        if (!completed) return 'interrupted';
      }
      try {
        await this.options.dataSource.transaction((manager: EntityManager) =>
          this.apply(manager, work, { topic, partition, offset: message.offset, attempt }),
        );
        return 'done';
      } catch (caught) {
        error = caught;
        attempt++;
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

  /** Inbox row and handler of one message, inside the caller's transaction. */
  private async apply(
    manager: EntityManager,
    work: Work,
    position: { topic: string; partition: number; offset: string; attempt: number },
  ): Promise<void> {
    const fresh = await this.recordInInbox(manager, [work]);
    if (fresh.size === 0) return;
    await work.handler(work.event, this.contextFor(manager, work.event, position));
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
