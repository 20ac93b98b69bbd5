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
  type Transaction,
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
   * Partition batches transformed at the same time (default 32). Batches that finish together share
   * one Kafka transaction (see "group commit" below); order is kept within each partition.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * How long a finished batch waits for batches still being transformed, so that they commit in one
   * transaction (default 10 ms). A batch never waits longer than this for the others.
   */
  commitLingerMs?: number;
  /**
   * Called once per batch before its first transform, with the events that decode. A transform that
   * reads per event (e.g. from a database) loads what the whole batch needs here in one go. Only an
   * optimisation: a failure is logged and the transforms run without it.
   */
  prepareBatch?: (batch: ProcessorBatch, events: readonly CloudEvent[]) => Promise<void>;
  /**
   * Called once per transaction after the last transform of its batches and before it commits (with
   * the consumed offsets). A transform that gathers effects outside Kafka, e.g. database rows, writes
   * them here in one go instead of once per event. It runs while the outputs and offsets are being
   * sent into the transaction (neither is visible before the commit). The write must be idempotent:
   * a crash between it and the Kafka commit makes the batches be processed again. Throwing aborts the Kafka
   * transaction, and the batches are processed again.
   */
  beforeCommit?: (batches: readonly ProcessorBatch[]) => Promise<void>;
  /** Called when a Kafka transaction is aborted, so a transform can drop what its batches gathered. */
  onAbort?: (batches: readonly ProcessorBatch[]) => Promise<void> | void;
}

/** The batch a hook is called for: one partition of one topic (several may share a transaction). */
export interface ProcessorBatch {
  topic: string;
  partition: number;
}

/** A partition batch on its way through a transaction. */
interface Member {
  batch: ProcessorBatch;
  /** Outputs not sent yet, by topic, in input order. */
  pending: Map<string, Message[]>;
  /** It sent outputs into the open transaction before it finished (a large batch). */
  joined: boolean;
  /** Finished transforming; waiting for (or in) a commit. */
  ready: boolean;
  /** The offset to commit: past the last processed message. */
  nextOffset?: string;
  settle?: { resolve: () => void; reject: (error: unknown) => void };
}

type Decoded = { event: CloudEvent } | { error: unknown };

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

/** Waits for every promise and then rejects with the first failure, if any (none is left running). */
async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
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
  private readonly commitLingerMs: number;
  private consumer?: Consumer;
  private producer?: Producer;
  private running = false;
  // Group commit state. kafkajs allows one open transaction per producer: `transaction` is it (opened
  // by the first early sender or by the commit), `committing` the commit in progress.
  private transforming = 0;
  private readonly ready: Member[] = [];
  private readonly joined = new Set<Member>();
  private transaction?: Promise<Transaction>;
  private sendChain: Promise<unknown> = Promise.resolve();
  private poisoned?: unknown;
  private committing?: Promise<void>;
  private linger?: NodeJS.Timeout;
  private memberChanged?: () => void;

  constructor(private readonly options: TransactionalProcessorOptions) {
    this.logger = new Logger(`TransactionalProcessor:${options.groupId}`);
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.deadLetterTopic = options.deadLetterTopic ?? dlqTopic(options.groupId);
    this.maxBufferedOutputs = Math.max(1, options.maxBufferedOutputs ?? 1000);
    this.commitLingerMs = Math.max(0, options.commitLingerMs ?? 10);
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
      // A transaction started right after the previous commit often meets CONCURRENT_TRANSACTIONS
      // (the coordinator is still writing the markers of the last one) and must retry. kafkajs's
      // first retry waits 300 ms ±20 % (tulios/kafkajs#304): a stall of the whole routing loop, seen
      // as 300–390 ms in the slowest 1 % of bench:pipeline at 100–200 reports/s. The Java client backs
      // off 20 ms for this error (KAFKA-5477); so do we, doubling from there, still without a limit on
      // attempts as an idempotent producer needs.
      retry: { initialRetryTime: 20, retries: Number.MAX_SAFE_INTEGER },
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
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 32,
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

  /**
   * GROUP COMMIT. kafkajs hands over one batch per partition; the batches of one fetch are transformed
   * concurrently and, once every batch in flight has finished (or `commitLingerMs` after the first
   * did), committed in ONE Kafka transaction: their outputs, dead letters and consumed offsets, after
   * one `beforeCommit` for all of them. A transaction costs several broker round trips and a
   * transaction marker per partition written, so one per fetch instead of one per partition batch is
   * what keeps the loop fast. Atomicity is unchanged: each batch's outputs and offsets commit or
   * abort together (with the other batches of its transaction); kafkajs hands a partition's next
   * batch over only after this one's transaction has ended, so per-partition order holds.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!this.producer || batch.messages.length === 0) return;
    const member: Member = {
      batch: { topic: batch.topic, partition: batch.partition },
      pending: new Map(),
      joined: false,
      ready: false,
    };
    this.transforming++;
    let lastProcessed: KafkaMessage | undefined;
    try {
      const decoded = await this.prepare(member.batch, batch.messages);
      let buffered = 0;
      for (const message of batch.messages) {
        if (payload.isStale()) break;
        const sizeBefore = countPending(member.pending);
        const outcome = await this.processMessage(
          member.pending,
          batch.topic,
          batch.partition,
          message,
          payload,
          decoded.get(message.offset),
        );
        if (outcome === 'interrupted') break;
        lastProcessed = message;
        buffered += countPending(member.pending) - sizeBefore;
        if (buffered >= this.maxBufferedOutputs) {
          await this.sendEarly(member);
          buffered = 0;
        }
        await payload.heartbeat();
      }
    } catch (error) {
      this.transforming--;
      await this.fail(member, error);
      throw error;
    }
    this.transforming--;
    if (!lastProcessed) {
      // Nothing processed (stale at once), so nothing was sent either.
      await Promise.resolve(this.options.onAbort?.([member.batch])).catch(() => undefined);
      this.memberChanged?.();
      this.kick();
      return;
    }
    // When the whole batch is done, commit past any trailing control records too.
    member.nextOffset =
      lastProcessed === batch.messages[batch.messages.length - 1]
        ? (BigInt(batch.lastOffset()) + 1n).toString()
        : (BigInt(lastProcessed.offset) + 1n).toString();
    const committed = new Promise<void>((resolve, reject) => (member.settle = { resolve, reject }));
    member.ready = true;
    this.ready.push(member);
    this.memberChanged?.();
    this.kick();
    // Rejected when the transaction aborted: rethrowing makes kafkajs restart the consumer from the
    // last committed offsets; the aborted outputs are invisible to read_committed readers and the
    // batch is processed again.
    await committed;
    payload.resolveOffset(lastProcessed.offset);
  }

  /** Decodes the batch once and lets the transform prepare for it. */
  private async prepare(batch: ProcessorBatch, messages: KafkaMessage[]): Promise<Map<string, Decoded>> {
    const decoded = new Map<string, Decoded>();
    const events: CloudEvent[] = [];
    for (const message of messages) {
      try {
        const event = decodeCloudEvent(message.headers ?? {}, message.value);
        decoded.set(message.offset, { event });
        events.push(event);
      } catch (error) {
        decoded.set(message.offset, { error });
      }
    }
    if (this.options.prepareBatch && events.length > 0) {
      await this.options.prepareBatch(batch, events).catch((error: unknown) => {
        this.logger.warn(
          `Preparing ${batch.topic}[${batch.partition}] failed (${classifyError(error).errorClass}); transforming without it`,
        );
      });
    }
    return decoded;
  }

  /** A large batch sends what it has buffered into the open transaction (opening one if needed). */
  private async sendEarly(member: Member): Promise<void> {
    if (!member.joined) {
      // One transaction at a time: a commit in progress ends before the next one opens. (A member
      // already in the open transaction goes on: that commit is waiting for it to finish.)
      while (this.committing) await this.committing.catch(() => undefined);
      this.joined.add(member);
      member.joined = true;
    }
    const messages = [...member.pending].map(([topic, list]) => ({ topic, messages: list }));
    member.pending = new Map();
    const transaction = await this.openTransaction();
    await this.send(transaction, messages);
  }

  private openTransaction(): Promise<Transaction> {
    if (!this.producer) return Promise.reject(new Error('TransactionalProcessor is not started'));
    this.transaction ??= this.producer.transaction();
    return this.transaction;
  }

  /** Sends one at a time: the idempotent producer numbers its sequences per request. */
  private send(
    transaction: Transaction,
    topicMessages: Array<{ topic: string; messages: Message[] }>,
  ): Promise<void> {
    const sent = this.sendChain.then(async () => {
      if (topicMessages.length > 0) await transaction.sendBatch({ acks: -1, topicMessages });
    });
    this.sendChain = sent.catch(() => undefined);
    return sent;
  }

  /** A batch failed while transforming: if it already sent into the transaction, that transaction must abort. */
  private async fail(member: Member, error: unknown): Promise<void> {
    if (member.joined) {
      this.poisoned ??= error;
      member.ready = true; // settled: a commit waiting for it may go on (and abort)
      this.memberChanged?.();
      this.kick(true);
    }
    await Promise.resolve(this.options.onAbort?.([member.batch])).catch(() => undefined);
    this.memberChanged?.();
    this.kick();
  }

  /** Starts a commit when every batch in flight is ready, or after the linger time. */
  private kick(force = false): void {
    if (this.committing) return; // the commit in progress kicks again when it ends
    if (this.ready.length === 0 && !(force && this.joined.size > 0)) return;
    if (this.transforming > 0 && !force) {
      this.linger ??= setTimeout(() => {
        this.linger = undefined;
        this.startCommit();
      }, this.commitLingerMs);
      return;
    }
    this.startCommit();
  }

  private startCommit(): void {
    if (this.committing) return;
    if (this.linger) clearTimeout(this.linger);
    this.linger = undefined;
    if (this.ready.length === 0 && this.joined.size === 0) return;
    this.committing = this.commitGroup().finally(() => {
      this.committing = undefined;
      this.kick();
    });
  }

  /** Resolves when every batch that sent into the open transaction has finished transforming. */
  private async joinedSettled(): Promise<void> {
    while ([...this.joined].some((m) => !m.ready)) {
      await new Promise<void>((resolve) => (this.memberChanged = resolve));
    }
    this.memberChanged = undefined;
  }

  private async commitGroup(): Promise<void> {
    await this.joinedSettled();
    // The ready batches, plus those that sent early and failed (to be aborted with the rest).
    const group = this.ready.splice(0);
    const members = [...new Set([...group, ...this.joined])];
    const poisoned = this.poisoned;
    const batches = group.map((m) => m.batch);
    let transaction: Transaction | undefined;
    try {
      // A batch that sent into this transaction failed: none of it may commit.
      if (poisoned !== undefined) {
        throw poisoned instanceof Error ? poisoned : new Error('a batch of this transaction failed');
      }
      transaction = await this.openTransaction();
      const topicMessages = new Map<string, Message[]>();
      for (const member of group) {
        for (const [topic, list] of member.pending) {
          const all = topicMessages.get(topic);
          if (all) all.push(...list);
          else topicMessages.set(topic, [...list]);
        }
      }
      const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
      for (const { batch, nextOffset } of group) {
        const list = byTopic.get(batch.topic) ?? [];
        list.push({ partition: batch.partition, offset: nextOffset as string });
        byTopic.set(batch.topic, list);
      }
      const open = transaction;
      // The outputs and offsets go to the broker while beforeCommit writes to the database: nothing
      // of either is visible before the commit below, which waits for both (a failure of either
      // aborts), and the transaction's round trips no longer queue behind the database's.
      await settleAll([
        (async () => {
          await this.send(
            open,
            [...topicMessages].map(([topic, messages]) => ({ topic, messages })),
          );
          await open.sendOffsets({
            consumerGroupId: this.options.groupId,
            topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
          });
        })(),
        Promise.resolve(this.options.beforeCommit?.(batches)),
      ]);
      await transaction.commit();
      this.reset();
      for (const member of group) member.settle?.resolve();
    } catch (error) {
      if (transaction?.isActive()) await transaction.abort().catch(() => undefined);
      else if (!transaction && this.transaction) {
        const open = await this.transaction.catch(() => undefined);
        if (open?.isActive()) await open.abort().catch(() => undefined);
      }
      this.reset();
      if (batches.length > 0) {
        await Promise.resolve(this.options.onAbort?.(batches)).catch(() => undefined);
      }
      this.logger.warn(
        `Transaction for ${members.map((m) => `${m.batch.topic}[${m.batch.partition}]`).join(', ')} aborted: ${classifyError(error).message}`,
      );
      for (const member of group) member.settle?.reject(error);
    }
  }

  private reset(): void {
    this.transaction = undefined;
    this.joined.clear();
    this.poisoned = undefined;
  }

  private async processMessage(
    pending: Map<string, Message[]>,
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
    decoded?: Decoded,
  ): Promise<'done' | 'interrupted'> {
    let event: CloudEvent;
    try {
      if (decoded && 'error' in decoded) throw decoded.error;
      event = decoded ? decoded.event : decodeCloudEvent(message.headers ?? {}, message.value);
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
