import type { KafkaHeaderValue } from '@samverkan/contracts';
import type { Consumer, Kafka } from 'kafkajs';

/** A message as the replay hands it over: raw headers and value, no decoding or validation. */
export interface ReplayedMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  headers: Record<string, KafkaHeaderValue>;
  value: Buffer | null;
}

/** Offsets per partition: `low` is the first offset kept, `high` the next one to be written. */
export type PartitionOffsets = Map<number, { low: bigint; high: bigint }>;

export interface TopicReplayOptions {
  kafka: Kafka;
  topic: string;
  /** A fresh group id per replay (e.g. `reporting.rebuild.<time>`): it reads from the beginning. */
  groupId: string;
  /**
   * Called once per fetched batch of one partition, in offset order. The replay waits for it before
   * counting the batch as consumed, so a resolved `reached()` means every message up to the target
   * has been handled.
   */
  onBatch: (messages: ReplayedMessage[], partition: number) => Promise<void>;
  /** Partitions fetched and handled in parallel (default: all of them, up to 16). */
  partitionsConsumedConcurrently?: number;
  /** Bytes fetched per partition per request (default 8 MiB: a replay wants big batches). */
  maxBytesPerPartition?: number;
}

/**
 * Reads a topic from its beginning as fast as kafkajs allows, for rebuilding projections. Unlike
 * the consumer kit there is no inbox, no retry and no dead letter: the caller's batch handler must
 * be idempotent and a failure stops the replay (the caller starts over under a new group). Offsets
 * are never committed, so the group leaves nothing behind.
 *
 * Progress is tracked from kafkajs' end-of-batch instrumentation, which also fires for batches that
 * hold only transaction markers or aborted records: a replay of a transactionally written topic (the
 * router's audience topics) reaches the end offsets even though their last offsets are markers.
 */
export class TopicReplay {
  private consumer?: Consumer;
  private readonly position = new Map<number, bigint>();
  private readonly waiters: Array<{ targets: PartitionOffsets; resolve: () => void }> = [];
  private failure?: Error;
  private failWaiters?: (error: Error) => void;
  private consumed = 0;

  constructor(private readonly options: TopicReplayOptions) {}

  /** Messages handed to onBatch so far. */
  get messagesConsumed(): number {
    return this.consumed;
  }

  /** The topic's offsets now; `high` is the end offset a replay started now has to reach. */
  async endOffsets(): Promise<PartitionOffsets> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      return new Map(
        offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }] as const),
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Messages between `from` (or each partition's low) and `to`: the work a replay has ahead of it. */
  static span(to: PartitionOffsets, from?: Map<number, bigint>): number {
    let total = 0n;
    for (const [partition, { low, high }] of to) {
      const start = from?.get(partition) ?? low;
      if (high > start) total += high - start;
    }
    return Number(total);
  }

  /** Where the replay is: the next offset to read per partition (only partitions it has read). */
  positions(): Map<number, bigint> {
    return new Map(this.position);
  }

  async start(): Promise<void> {
    const { kafka, topic, groupId } = this.options;
    const consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 8 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      maxWaitTimeInMs: 500,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { partition, lastOffset } = event.payload as { partition: number; lastOffset: string };
      const next = BigInt(lastOffset) + 1n;
      if ((this.position.get(partition) ?? -1n) < next) this.position.set(partition, next);
      this.settle();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const error = (event.payload as { error?: Error }).error ?? new Error('replay consumer crashed');
      this.fail(error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 16,
      eachBatch: async ({ batch }) => {
        const messages: ReplayedMessage[] = batch.messages.map((m) => ({
          partition: batch.partition,
          offset: m.offset,
          key: m.key,
          headers: m.headers ?? {},
          value: m.value,
        }));
        try {
          await this.options.onBatch(messages, batch.partition);
        } catch (error) {
          this.fail(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
        this.consumed += messages.length;
      },
    });
  }

  /** Resolves when every partition has been read up to `targets` (its `high`), rejects on failure. */
  reached(targets: PartitionOffsets): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ targets, resolve });
      const previous = this.failWaiters;
      this.failWaiters = (error) => {
        previous?.(error);
        reject(error);
      };
      this.settle();
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  private isReached(targets: PartitionOffsets): boolean {
    for (const [partition, { low, high }] of targets) {
      if (high <= low) continue;
      if ((this.position.get(partition) ?? low) < high) return false;
    }
    return true;
  }

  private settle(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.isReached(this.waiters[i].targets)) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.failWaiters?.(error);
  }
}
