import { Inject, Injectable } from '@nestjs/common';
import { type Audience, type CloudEvent, type Decision, PolicyError } from '@samverkan/contracts';
import {
  PermanentError,
  type ProcessorBatch,
  type ProcessorInput,
  type ProcessorOutput,
  TransientError,
} from '@samverkan/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { RouterKeys } from '../config/router-keys';
import { type ConsentChange, type ConsentRow, ConsentStore } from '../consents/consent-store';
import { DisclosureLog, type PendingDisclosure } from '../disclosures/disclosure-log';
import { RouterMetrics } from '../metrics/router-metrics';
import { personnummerOf, routeEvent } from './route-event';
import { RouterTopics } from './router-topics';

export enum RoutingErrorCode {
  NOT_A_SOURCE_TOPIC = 'ROUTER_NOT_A_SOURCE_TOPIC',
  POLICY = 'ROUTER_POLICY_ERROR',
  RECORDED_CONCURRENTLY = 'ROUTER_RECORDED_CONCURRENTLY',
}

/** What one Kafka batch (one partition) has decided so far and not yet written. */
class PendingBatch {
  readonly disclosures = new Map<string, PendingDisclosure>();
  readonly consentChanges: ConsentChange[] = [];
  /** Read for the whole batch before its first event (prepare): what is on record, per event id. */
  recorded?: ReadonlyMap<string, ReadonlyMap<Audience, Decision>>;
  /** Read for the whole batch before its first event (prepare): consent rows, per child. */
  consents?: ReadonlyMap<string, readonly ConsentRow[]>;
  /** The router's internal pseudonym of each event's child (an HMAC; computed once). */
  readonly children = new Map<string, string | undefined>();

  decided(eventId: string): ReadonlyMap<Audience, Decision> | undefined {
    const pending = this.disclosures.get(eventId);
    return pending && new Map(pending.decisions.map((d) => [d.audience, d]));
  }
}

interface PreparedRead {
  recorded: ReadonlyMap<string, ReadonlyMap<Audience, Decision>>;
  consents: ReadonlyMap<string, readonly ConsentRow[]>;
}

/** A read being gathered for the batches prepared together (see readWithOtherBatches). */
interface PendingRead {
  eventIds: Set<string>;
  children: Set<string>;
  result: Promise<PreparedRead>;
}

const batchKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The router's consume-transform-produce step, per source event, and the batch's database write.
 *
 * ORDERING BETWEEN THE DATABASE AND KAFKA. For each event of a batch, route() decides every audience
 * (reading the consent state, with the batch's own earlier consent changes laid over it) and hands
 * the copies to the processor, which sends them inside the batch's Kafka transaction. The decisions
 * and consent changes are gathered per batch; beforeCommit() writes them in ONE database
 * transaction and commits it, and only then does the processor commit the Kafka transaction
 * together with the consumed offsets.
 *
 * READS. prepare() reads, for a whole batch in two queries (shared by the batches of one fetch),
 * what route() needs per event: the decisions on record for its events and the consent rows of its
 * children. route() lays the batch's own
 * consent changes over them as before; an event or child prepare() did not cover is read alone.
 * The batch is routed as of its start: a consent change committed by another partition's batch
 * while it is being routed applies from the next batch on (partitions have no order between them).
 *
 * Batches that finish together share one Kafka transaction (the processor's group commit), and
 * beforeCommit() writes all of them in one database transaction.
 *
 * So the database always commits first. A crash (or a fenced or aborted Kafka transaction) between
 * the two leaves decisions in the log for copies that never became visible; Kafka redelivers the
 * batch from the last committed offsets. The replay finds those decisions on record and delivers
 * exactly them (it does not decide again: the consent state or the clock may have moved since), and
 * writes nothing: the log is unique on (event id, audience) and inserted ON CONFLICT DO NOTHING,
 * consent upserts are keyed by consent id and keep a withdrawal's first instant, and an event whose
 * decisions are on record adds no rows and no consent change. The opposite order (Kafka first)
 * could deliver data with no log entry; this one can at worst log, for a moment, a delivery that
 * becomes visible only when the replay commits.
 *
 * If another router instance (during a rebalance) recorded an event first, the batch's write
 * finds rows it did not insert: the database transaction is rolled back, the Kafka transaction
 * aborted, and the redelivered batch delivers what that instance recorded.
 */
@Injectable()
export class RoutingService {
  private readonly batches = new Map<string, PendingBatch>();
  private pendingRead?: PendingRead;

  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentStore,
    private readonly log: DisclosureLog,
    private readonly metrics: RouterMetrics,
    @Inject(RouterKeys) private readonly keys: RouterKeys,
    @Inject(RouterTopics) private readonly topics: RouterTopics,
  ) {}

  private batchOf(topic: string, partition: number): PendingBatch {
    let batch = this.batches.get(batchKey(topic, partition));
    if (!batch) {
      batch = new PendingBatch();
      this.batches.set(batchKey(topic, partition), batch);
    }
    return batch;
  }

  private childOf(batch: PendingBatch, event: CloudEvent): string | undefined {
    if (batch.children.has(event.id)) return batch.children.get(event.id);
    const personnummer = personnummerOf(event);
    const child = personnummer === undefined ? undefined : this.keys.internalPseudonym(personnummer);
    batch.children.set(event.id, child);
    return child;
  }

  /**
   * Reads what the batch's events need in two queries (instead of two per event), shared with the
   * batches prepared with it.
   */
  async prepare({ topic, partition }: ProcessorBatch, events: readonly CloudEvent[]): Promise<void> {
    if (this.topics.producerOf(topic) === undefined) return;
    const batch = this.batchOf(topic, partition);
    const children = new Set<string>();
    for (const event of events) {
      const child = this.childOf(batch, event);
      if (child !== undefined) children.add(child);
    }
    const { recorded, consents } = await this.readWithOtherBatches(
      events.map((e) => e.id),
      children,
    );
    batch.recorded = recorded;
    batch.consents = consents;
  }

  /**
   * The reads of every batch being prepared at the same moment, made as one pair of queries. kafkajs
   * hands all partition batches of one fetch over together (six per source topic under load), so
   * this is two queries per routing cycle instead of two per partition; each batch looks up only its
   * own events and children in the shared result. The read waits for the current turn of the event
   * loop to end (setImmediate), by when the batches of the fetch have all asked.
   */
  private readWithOtherBatches(
    eventIds: readonly string[],
    children: ReadonlySet<string>,
  ): Promise<PreparedRead> {
    let read = this.pendingRead;
    if (!read) {
      const gathered = { eventIds: new Set<string>(), children: new Set<string>() };
      const result = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        // Batches asking from now on start a read of their own.
        this.pendingRead = undefined;
        const [recorded, consents] = await Promise.all([
          this.log.recordedDecisionsOf([...gathered.eventIds]),
          this.consents.rowsOf([...gathered.children]),
        ]);
        return { recorded, consents };
      });
      this.pendingRead = read = { ...gathered, result };
    }
    for (const id of eventIds) read.eventIds.add(id);
    for (const child of children) read.children.add(child);
    return read.result;
  }

  async route(input: ProcessorInput): Promise<ProcessorOutput[]> {
    const { event, topic, partition, offset } = input;
    const producer = this.topics.producerOf(topic);
    if (producer === undefined) {
      throw new PermanentError(`${topic} is not a source topic`, RoutingErrorCode.NOT_A_SOURCE_TOPIC);
    }
    const batch = this.batchOf(topic, partition);
    const child = this.childOf(batch, event);
    const now = new Date();
    try {
      const candidate = this.consents.changeOf(event, producer, child, now);
      const pendingChanges = candidate ? [...batch.consentChanges, candidate] : batch.consentChanges;
      // Prepared for the batch, or both reads at once: one round trip of latency per event. (An event
      // on record ignores the consents: its decisions are replayed as recorded.)
      const [recorded, consents] = await Promise.all([
        batch.decided(event.id) ?? batch.recorded?.get(event.id) ?? this.log.recordedDecisions(event.id),
        child === undefined ? [] : this.consents.forChild(child, pendingChanges, batch.consents),
      ]);
      // An event on record has had its consent change written with its decisions.
      const change = recorded.size === 0 ? candidate : undefined;
      const result = routeEvent({
        event,
        producer,
        consents,
        recorded,
        keys: this.keys,
        topics: this.topics,
        now,
      });
      // Only now, with nothing left to fail, does the event join its batch.
      if (change) batch.consentChanges.push(change);
      if (result.fresh.length > 0) {
        batch.disclosures.set(event.id, {
          source: { event, producer, child, topic, partition, offset },
          decisions: result.fresh,
        });
      }
      return result.copies.map((copy) => ({ topic: copy.topic, event: copy.event }));
    } catch (error) {
      if (error instanceof PolicyError) {
        // A programming error in the policy or its use: retrying cannot fix it; operations sees it on the DLQ.
        this.metrics.deadLettered.inc({ code: error.code });
        throw new PermanentError(error.message, error.code);
      }
      throw error;
    }
  }

  /** The batches' decisions and consent changes, in one database transaction, before the Kafka commit. */
  async beforeCommit(batches: readonly ProcessorBatch[]): Promise<void> {
    const changes: ConsentChange[] = [];
    const pending: PendingDisclosure[] = [];
    for (const { topic, partition } of batches) {
      const batch = this.batches.get(batchKey(topic, partition));
      this.batches.delete(batchKey(topic, partition));
      if (!batch) continue;
      changes.push(...batch.consentChanges);
      pending.push(...batch.disclosures.values());
    }
    if (pending.length === 0 && changes.length === 0) return;
    const write = async (manager: EntityManager): Promise<void> => {
      await this.consents.write(manager, changes);
      const notWritten = await this.log.record(manager, pending);
      if (notWritten > 0) {
        throw new TransientError(
          'Another router instance recorded events of this batch first; routing it again',
          RoutingErrorCode.RECORDED_CONCURRENTLY,
        );
      }
    };
    // The usual case, decisions only and few enough for one INSERT, is that statement alone: no
    // BEGIN and COMMIT, two round trips fewer per Kafka transaction. Safe without a transaction of
    // its own: rows it wrote for the other events when another instance had recorded one first are
    // decisions on record, which the redelivered batch replays as recorded (as after a crash
    // between the two commits, see above).
    if (changes.length === 0 && this.log.fitsOneStatement(pending)) await write(this.dataSource.manager);
    else await this.dataSource.transaction(write);
    for (const { decisions } of pending) this.metrics.countDecisions(decisions);
  }

  /** The Kafka transaction was aborted: what the batches gathered is dropped; the redelivery decides again. */
  onAbort(batches: readonly ProcessorBatch[]): void {
    for (const { topic, partition } of batches) this.batches.delete(batchKey(topic, partition));
  }
}
