import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import { kafkaFor, type KafkaAdminConnection } from './kafka-admin-connection';

export interface ConsumerGroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: Array<{ topic: string; partitions: number[] }>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Null when the group has never committed on this partition. */
  committedOffset: number | null;
  /** Log start offset (first retained message). */
  startOffset: number;
  /** Next offset to be written (Kafka's LOG-END-OFFSET as a committed reader sees it). */
  endOffset: number;
  /** endOffset − committedOffset, or − startOffset when nothing is committed yet. */
  lag: number;
  /** Age of the oldest unconsumed message, in seconds; 0 without lag. */
  lagSeconds: number;
  memberId: string | null;
}

export interface ConsumerGroupLag {
  groupId: string;
  /** Kafka's group state (Stable, Empty, Dead, PreparingRebalance, ...); `Unknown` if not described. */
  state: string;
  members: ConsumerGroupMember[];
  partitions: PartitionLag[];
  sampledAt: Date;
}

/**
 * Reads consumer groups' positions and lag for operations. Holds one admin connection; the caller
 * connects once and keeps it for its sampler.
 *
 * Lag in seconds needs the timestamp of the message at the committed offset. Reading that message
 * would need Read on every audience and source topic (and would pull personal data into operations),
 * so the timestamp is found with ListOffsets by timestamp, which needs only Describe: the message at
 * offset c has timestamp T = the largest t with offsetForTimestamp(t) <= c. An exponential search back
 * from now followed by a binary search finds it to the second in about 2·log2(age in seconds)
 * requests, only for partitions that lag. It assumes timestamps grow within a partition, which holds
 * for the hub's producers (CreateTime from one clock per producer, LogAppendTime would be exact).
 */
export class ConsumerGroupInspector {
  private readonly kafka: Kafka;
  private admin: Admin;
  private connected = false;
  /** A message's timestamp never changes: a group stuck at one offset costs its search only once. */
  private readonly timestamps = new Map<string, number>();

  constructor(connection: KafkaAdminConnection) {
    this.kafka = kafkaFor({ clientId: `samverkan-operations-${connection.username}`, ...connection });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.admin.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.admin.disconnect().catch(() => undefined);
  }

  /**
   * Runs `call` on the admin client; if the client's metadata names a topic that has since been deleted
   * (kafkajs keeps every topic it was asked about and then fails every refresh with "does not host this
   * topic-partition"), starts a new admin client, which knows no such topic, and tries once more.
   */
  private async withFreshMetadata<T>(call: () => Promise<T>): Promise<T> {
    await this.connect();
    try {
      return await call();
    } catch (error) {
      if (!isUnknownTopicError(error)) throw error;
      await this.disconnect();
      this.admin = this.kafka.admin();
      await this.connect();
      return call();
    }
  }

  /** Consumer groups Kafka knows (consumer protocol only; Connect and share groups are not ours). */
  async listConsumerGroupIds(): Promise<string[]> {
    const { groups } = await this.withFreshMetadata(() => this.admin.listGroups());
    return groups
      .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
      .map((g) => g.groupId)
      .sort();
  }

  /** Start and end offsets of every partition of a topic (DLQ depth = end − start). */
  async topicOffsets(topic: string): Promise<Array<{ partition: number; start: number; end: number }>> {
    const offsets = await this.withFreshMetadata(() => this.admin.fetchTopicOffsets(topic));
    return offsets
      .map((o) => ({ partition: o.partition, start: Number(o.low), end: Number(o.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.withFreshMetadata(() => this.admin.listTopics())).includes(topic);
  }

  /**
   * Members, assignments, committed and end offsets, lag in messages and seconds for one group.
   * `topics` adds topics the group is expected to read even if it has not committed on them yet.
   */
  async describeConsumerGroupLag(
    groupId: string,
    options: { topics?: readonly string[]; now?: Date } = {},
  ): Promise<ConsumerGroupLag> {
    return this.withFreshMetadata(() => this.describeOnce(groupId, options));
  }

  private async describeOnce(
    groupId: string,
    options: { topics?: readonly string[]; now?: Date },
  ): Promise<ConsumerGroupLag> {
    await this.connect();
    const now = options.now ?? new Date();
    const { groups } = await this.admin.describeGroups([groupId]);
    const description = groups.find((g) => g.groupId === groupId);
    const members: ConsumerGroupMember[] = (description?.members ?? []).map((m) => {
      const decoded = m.memberAssignment?.length
        ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
        : null;
      const assignment = decoded?.assignment ?? {};
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost.replace(/^\//, ''),
        assignments: Object.entries(assignment)
          .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
          .sort((a, b) => a.topic.localeCompare(b.topic)),
      };
    });
    const owner = new Map<string, string>();
    for (const m of members)
      for (const a of m.assignments) for (const p of a.partitions) owner.set(`${a.topic}:${p}`, m.memberId);

    const committed = await this.admin.fetchOffsets({ groupId });
    const committedByKey = new Map<string, number>();
    for (const t of committed)
      for (const p of t.partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) committedByKey.set(`${t.topic}:${p.partition}`, offset);
      }
    const topics = new Set<string>(options.topics ?? []);
    for (const t of committed) if (t.partitions.some((p) => Number(p.offset) >= 0)) topics.add(t.topic);
    for (const m of members) for (const a of m.assignments) topics.add(a.topic);
    const existing = new Set(await this.admin.listTopics());

    const partitions: PartitionLag[] = [];
    for (const topic of [...topics].sort()) {
      if (!existing.has(topic)) continue;
      const offsets = await this.topicOffsets(topic);
      const lagging: PartitionLag[] = [];
      for (const o of offsets) {
        const key = `${topic}:${o.partition}`;
        const committedOffset = committedByKey.get(key) ?? null;
        const from = committedOffset ?? o.start;
        const row: PartitionLag = {
          topic,
          partition: o.partition,
          committedOffset,
          startOffset: o.start,
          endOffset: o.end,
          lag: Math.max(0, o.end - Math.max(from, o.start)),
          lagSeconds: 0,
          memberId: owner.get(key) ?? null,
        };
        partitions.push(row);
        if (row.lag > 0) lagging.push(row);
      }
      await Promise.all(
        lagging.map(async (row) => {
          const ts = await this.timestampAtOffset(
            topic,
            row.partition,
            Math.max(row.committedOffset ?? row.startOffset, row.startOffset),
            now.getTime(),
          );
          row.lagSeconds = ts === null ? 0 : Math.max(0, Math.round((now.getTime() - ts) / 100) / 10);
        }),
      );
    }
    return { groupId, state: description?.state ?? 'Unknown', members, partitions, sampledAt: now };
  }

  /** Earliest offset in a partition whose timestamp is >= t (the end offset when there is none). */
  private async offsetAt(topic: string, partition: number, t: number): Promise<number> {
    const offsets = await this.withFreshMetadata(() => this.admin.fetchTopicOffsetsByTimestamp(topic, t));
    const found = offsets.find((o) => o.partition === partition);
    return found ? Number(found.offset) : Number.POSITIVE_INFINITY;
  }

  /** Timestamp (ms, to the second) of the message at `offset`, or null if it cannot be found. */
  async timestampAtOffset(
    topic: string,
    partition: number,
    offset: number,
    nowMs = Date.now(),
  ): Promise<number | null> {
    const key = `${topic}:${partition}:${offset}`;
    const known = this.timestamps.get(key);
    if (known !== undefined) return known;
    const found = await this.searchTimestamp(topic, partition, offset, nowMs);
    if (found !== null) {
      if (this.timestamps.size >= 50_000) this.timestamps.clear();
      this.timestamps.set(key, found);
    }
    return found;
  }

  private searchTimestamp(
    topic: string,
    partition: number,
    offset: number,
    nowMs: number,
  ): Promise<number | null> {
    return findTimestampOfOffset((t) => this.offsetAt(topic, partition, t), offset, nowMs);
  }
}

/**
 * The timestamp (ms, to the second, never later than the true one) of the message at `offset`, given
 * `offsetAt(t)` = the earliest offset whose timestamp is >= t (the end offset when there is none).
 * The message's timestamp T is the largest t with offsetAt(t) <= offset: an exponential search back
 * from now brackets it, a binary search narrows it to one second. Null when it is older than 400 days.
 */
export async function findTimestampOfOffset(
  offsetAt: (timestampMs: number) => Promise<number>,
  offset: number,
  nowMs: number,
): Promise<number | null> {
  let hi = nowMs + 1000;
  let step = 1000;
  let lo = nowMs - step;
  const limit = nowMs - 400 * 24 * 3600 * 1000;
  while ((await offsetAt(lo)) > offset) {
    hi = lo;
    step *= 2;
    lo = nowMs - step;
    if (lo < limit) return null;
  }
  // Invariant: offsetAt(lo) <= offset < offsetAt(hi).
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await offsetAt(mid)) <= offset) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** kafkajs' UNKNOWN_TOPIC_OR_PARTITION, possibly wrapped (non-retriable, retries exceeded). */
function isUnknownTopicError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    const candidate = e as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (candidate.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    e = candidate.cause ?? candidate.originalError;
  }
  return false;
}
