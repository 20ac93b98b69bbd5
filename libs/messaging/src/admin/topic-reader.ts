import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { kafkaFor, type KafkaAdminConnection } from './kafka-admin-connection';

export interface RawTopicMessage {
  topic: string;
  partition: number;
  offset: number;
  /** Broker timestamp (ms). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** Header values as UTF-8 text (the hub's headers are all text); the first value of repeated ones. */
  headers: Record<string, string>;
}

export interface ReadTopicOptions {
  /**
   * The consumer group to read under. Kafka needs one even for a read that never commits; it must be
   * one the principal may use (operations: `operations.` prefix). A random suffix is added so
   * parallel reads never share partitions, and nothing is committed, so the group leaves no offsets.
   */
  groupIdPrefix: string;
  /** Give up waiting for more messages after this long without progress (default 5 s). */
  idleTimeoutMs?: number;
  /** Hard limit for the whole read (default 30 s). */
  timeoutMs?: number;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/**
 * Every message of a topic from its start up to its end offset at the time of the call
 * (read_committed), without committing: an inspection, not a consumption. Meant for small topics
 * such as dead-letter topics.
 */
export async function readTopicToEnd(
  connection: KafkaAdminConnection,
  topic: string,
  options: ReadTopicOptions,
): Promise<RawTopicMessage[]> {
  return (await readTopicUpToEnd(connection, topic, options)).messages;
}

export interface TopicRead {
  messages: RawTopicMessage[];
  /** false when the read gave up (idle or hard timeout) before every partition reached its end. */
  complete: boolean;
}

/** readTopicToEnd, saying whether the read reached the end: a caller that caches must not keep a partial read. */
export async function readTopicUpToEnd(
  connection: KafkaAdminConnection,
  topic: string,
  options: ReadTopicOptions,
): Promise<TopicRead> {
  const kafka = kafkaFor(connection);
  const admin = kafka.admin();
  await admin.connect();
  let targets: Map<number, { start: number; end: number }>;
  try {
    targets = new Map(
      (await admin.fetchTopicOffsets(topic)).map((o) => [
        o.partition,
        { start: Number(o.low), end: Number(o.high) },
      ]),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const pending = new Set([...targets].filter(([, t]) => t.end > t.start).map(([p]) => p));
  if (pending.size === 0) return { messages: [], complete: true };

  const messages: RawTopicMessage[] = [];
  const consumer = kafka.consumer({
    groupId: `${options.groupIdPrefix}${randomUUID()}`,
    readUncommitted: false,
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
  });
  const idleMs = options.idleTimeoutMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  // The idle clock starts when the group is joined: a slow join on a loaded broker is not idleness.
  let lastProgress = Number.POSITIVE_INFINITY;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (lastProgress === Number.POSITIVE_INFINITY) lastProgress = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const target = targets.get(batch.partition);
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (target && offset >= target.end) break;
          messages.push({
            topic,
            partition: batch.partition,
            offset,
            timestamp: Number(m.timestamp),
            key: m.key ?? null,
            value: m.value ?? null,
            headers: headerText(m.headers),
          });
        }
        lastProgress = Date.now();
        // lastOffset covers control records (transaction markers), which are never delivered.
        if (!target || Number(batch.lastOffset()) + 1 >= target.end) pending.delete(batch.partition);
        if (pending.size === 0) resolveDone();
      },
    });
    const started = Date.now();
    await Promise.race([
      done,
      new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (pending.size === 0 || Date.now() - lastProgress > idleMs || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            resolve();
          }
        }, 100);
      }),
    ]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return {
    messages: messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset),
    complete: pending.size === 0,
  };
}

export interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
  partition?: number;
}

/**
 * Sends messages to a topic with acks from all replicas (operations' replays). Not idempotent at the
 * producer: a replay is made safe by the consumers' inbox, which drops an event id it has applied.
 */
export async function produceMessages(
  connection: KafkaAdminConnection,
  topic: string,
  messages: readonly OutgoingMessage[],
): Promise<Array<{ partition: number; offset: number }>> {
  if (messages.length === 0) return [];
  const producer = kafkaFor(connection).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const result = await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers,
        partition: m.partition,
      })),
    });
    return result.map((r) => ({ partition: r.partition, offset: Number(r.baseOffset ?? -1) }));
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
