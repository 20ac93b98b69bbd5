import { CE_HEADERS, dlqTopic, encodeCloudEvent } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DLQ_HEADERS, InboxConsumer, PermanentError, resolverFromHandlers } from '../src';
import {
  adminKafka,
  collectTopics,
  committedOffsets,
  createTestDatabase,
  createTopics,
  deleteTopics,
  filedEvent,
  insertEffect,
  runFixture,
  uniqueName,
  type FiledEvent,
  type TestDatabase,
} from './messaging-test-kit';

jest.setTimeout(180_000);

describe('consumer kit (real Kafka + Postgres)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: TestDatabase;
  let topic: string;
  let group: string;

  beforeEach(async () => {
    kafka = adminKafka();
    topic = `samverkan.test.${uniqueName('consume')}`;
    group = uniqueName('test-group');
    await createTopics(kafka, [
      { name: topic, partitions: 1 },
      { name: dlqTopic(group), partitions: 1 },
    ]);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    db = await createTestDatabase('messaging_consumer');
  });

  afterEach(async () => {
    await producer?.disconnect();
    await db?.drop();
    await deleteTopics(kafka, [topic, dlqTopic(group)]);
  });

  async function produce(events: FiledEvent[]): Promise<void> {
    await producer.send({ topic, acks: -1, messages: events.map((e) => encodeCloudEvent(e)) });
  }

  async function effects(): Promise<Array<{ event_id: string; worker: string | null }>> {
    return db.dataSource.query(`SELECT event_id::text, worker FROM effects ORDER BY id`);
  }

  it('a consumer SIGKILLed in the middle of a batch and restarted leaves each effect exactly once', async () => {
    const events = Array.from({ length: 40 }, (_, i) => filedEvent(`child-${i % 5}`, i));
    await produce(events);
    const env = { DB_URL: db.url, TOPIC: topic, GROUP: group };
    // The first worker is slow, commits its database work every 4 events and never commits an offset
    // inside the batch: when it dies, a database transaction is open and every offset of the batch is
    // still uncommitted, so the restarted worker gets the processed part again.
    const first = runFixture('consumer.fixture.ts', {
      ...env,
      WORKER: 'first',
      SLOW_MS: '50',
      CHUNK_SIZE: '4',
      COMMIT_INTERVAL_MS: '600000',
    });
    let doneBeforeKill: number;
    try {
      doneBeforeKill = await eventually(
        async () => {
          const rows = await effects();
          expect(rows.length).toBeGreaterThanOrEqual(10);
          return rows.length;
        },
        { describe: 'the first worker half-way through its batch', timeoutMs: 60_000, dump: first.output },
      );
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const afterKill = (await effects()).length;
    expect(afterKill).toBeGreaterThanOrEqual(doneBeforeKill);
    expect(afterKill).toBeLessThan(events.length);
    expect(await committedOffsets(kafka, group, topic)).toBe(0);

    const second = runFixture('consumer.fixture.ts', { ...env, WORKER: 'second' });
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(events.length), {
        describe: 'the restarted worker past every event',
        timeoutMs: 90_000,
        dump: second.output,
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const rows = await effects();
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.id)));
    // The restarted worker received the first worker's events again and skipped every one of them.
    expect(rows.filter((r) => r.worker === 'first')).toHaveLength(afterKill);
    expect(rows.filter((r) => r.worker === 'second')).toHaveLength(events.length - afterKill);
  });

  it('dead-letters an invalid message, a handler that always throws and a permanent error with their headers, and keeps going', async () => {
    const okBefore = filedEvent('ok-1', 1);
    const poison = filedEvent('poison', 2);
    const permanent = filedEvent('permanent', 3);
    const okAfter = filedEvent('ok-2', 4);
    const invalid = encodeCloudEvent(filedEvent('invalid', 5));
    // Valid envelope, data that breaks the contract (no child).
    const invalidValue = JSON.stringify({ ...JSON.parse(invalid.value), child: undefined });
    await producer.send({
      topic,
      acks: -1,
      messages: [
        encodeCloudEvent(okBefore),
        { ...invalid, value: invalidValue },
        encodeCloudEvent(poison),
        encodeCloudEvent(permanent),
        encodeCloudEvent(okAfter),
      ],
    });
    const attemptsSeen: number[] = [];
    const consumer = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      retry: { attempts: 3, baseMs: 10, capMs: 50 },
      resolveHandler: resolverFromHandlers({
        'samverkan.concern-report.filed.v1': async (_data, ctx) => {
          // The effect is written first, so a failure must roll it back together with the inbox row.
          await insertEffect(ctx);
          if (ctx.event.subject === 'poison') {
            attemptsSeen.push(ctx.attempt);
            throw new Error('downstream register unavailable');
          }
          if (ctx.event.subject === 'permanent')
            throw new PermanentError('unknown unit code', 'UNKNOWN_UNIT');
        },
      }),
    });
    const dlq = await collectTopics(kafka, [dlqTopic(group)]);
    await consumer.start();
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(5), {
        describe: 'the consumer past all five messages',
      });
      await eventually(() => expect(dlq.messages).toHaveLength(3), { describe: 'three dead letters' });
    } finally {
      await consumer.stop();
      await dlq.close();
    }
    const rows = await effects();
    expect(rows.map((r) => r.event_id)).toEqual([okBefore.id, okAfter.id]);
    const inbox = await db.dataSource.query(
      `SELECT event_id::text FROM messaging_inbox WHERE consumer_group = $1`,
      [group],
    );
    expect(new Set(inbox.map((r: { event_id: string }) => r.event_id))).toEqual(
      new Set([okBefore.id, okAfter.id]),
    );
    expect(attemptsSeen).toEqual([1, 2, 3]);

    const [invalidLetter, poisonLetter, permanentLetter] = [...dlq.messages].sort(
      (a, b) => Number(a.offset) - Number(b.offset),
    );
    const common = {
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: '0',
      [DLQ_HEADERS.consumerGroup]: group,
    };
    expect(invalidLetter.headers).toMatchObject({
      ...common,
      [DLQ_HEADERS.originalOffset]: '1',
      [DLQ_HEADERS.reason]: 'invalid-message',
      [DLQ_HEADERS.errorClass]: 'ContractViolation',
      [DLQ_HEADERS.errorCode]: 'DATA_INVALID',
      [DLQ_HEADERS.attempts]: '1',
    });
    expect(invalidLetter.value).toBe(invalidValue);
    expect(invalidLetter.key).toBe('invalid');
    expect(poisonLetter.headers).toMatchObject({
      ...common,
      [DLQ_HEADERS.originalOffset]: '2',
      [DLQ_HEADERS.reason]: 'retries-exhausted',
      [DLQ_HEADERS.errorClass]: 'Error',
      [DLQ_HEADERS.errorMessage]: 'downstream register unavailable',
      [DLQ_HEADERS.attempts]: '3',
      [CE_HEADERS.id]: poison.id,
    });
    expect(permanentLetter.headers).toMatchObject({
      ...common,
      [DLQ_HEADERS.originalOffset]: '3',
      [DLQ_HEADERS.reason]: 'permanent-error',
      [DLQ_HEADERS.errorClass]: 'PermanentError',
      [DLQ_HEADERS.errorCode]: 'UNKNOWN_UNIT',
      [DLQ_HEADERS.attempts]: '1',
    });
    for (const letter of [invalidLetter, poisonLetter, permanentLetter]) {
      expect(Number.isNaN(Date.parse(letter.headers[DLQ_HEADERS.failedAt]))).toBe(false);
      // The original message travels unchanged; the error headers carry no personal data.
      const errorText = `${letter.headers[DLQ_HEADERS.errorMessage]} ${letter.headers[DLQ_HEADERS.errorClass]}`;
      expect(errorText).not.toContain('191212121212');
      expect(errorText).not.toContain('Tolvan');
    }
    expect(JSON.parse(poisonLetter.value)).toEqual(JSON.parse(encodeCloudEvent(poison).value));
  });

  it('commits offsets at most once per commitIntervalMs, whatever the number of batches, and the rest on stop()', async () => {
    const consumer = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      commitIntervalMs: 60_000,
      resolveHandler: resolverFromHandlers({
        'samverkan.concern-report.filed.v1': (_data, ctx) => insertEffect(ctx),
      }),
    });
    await consumer.start();
    try {
      // One event per send, each applied before the next is produced: one batch each.
      for (let i = 0; i < 8; i++) {
        await produce([filedEvent(`child-${i % 3}`, i)]);
        await eventually(async () => expect((await effects()).length).toBe(i + 1), {
          describe: `event ${i} applied`,
        });
      }
      // Eight batches applied, and the interval not up: no OffsetCommit yet (one per batch before).
      expect(await committedOffsets(kafka, group, topic)).toBe(0);
    } finally {
      await consumer.stop();
    }
    expect(await committedOffsets(kafka, group, topic)).toBe(8);
  });

  it('graceful shutdown finishes the batch in flight and commits its offsets', async () => {
    const events = Array.from({ length: 20 }, (_, i) => filedEvent(`child-${i % 3}`, i));
    await produce(events);
    const consumer = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      transactionChunkSize: 1,
      resolveHandler: resolverFromHandlers({
        'samverkan.concern-report.filed.v1': async (_data, ctx) => {
          await insertEffect(ctx);
          await new Promise((resolve) => setTimeout(resolve, 30));
        },
      }),
    });
    await consumer.start();
    await eventually(async () => expect((await effects()).length).toBeGreaterThanOrEqual(3), {
      describe: 'the consumer inside its batch',
    });
    await consumer.stop();
    // All 20 were produced in one request, so they form one batch: stop() waited for all of it.
    const processed = (await effects()).length;
    expect(processed).toBe(events.length);
    expect(await committedOffsets(kafka, group, topic)).toBe(processed);
  });

  it('dead-letters an event type without a handler (reason no-handler), or skips it when configured', async () => {
    const events = [filedEvent('child-1', 1), filedEvent('child-2', 2)];
    await produce(events);
    const dlq = await collectTopics(kafka, [dlqTopic(group)]);
    const deadLettering = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      resolveHandler: () => undefined,
    });
    await deadLettering.start();
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(2), {
        describe: 'the consumer past both events',
      });
      await eventually(() => expect(dlq.messages).toHaveLength(2), { describe: 'two dead letters' });
    } finally {
      await deadLettering.stop();
      await dlq.close();
    }
    for (const letter of dlq.messages) {
      expect(letter.headers).toMatchObject({
        [DLQ_HEADERS.reason]: 'no-handler',
        [DLQ_HEADERS.errorCode]: 'MESSAGING_NO_HANDLER',
        [DLQ_HEADERS.attempts]: '0',
      });
    }
    const skipGroup = uniqueName('skip-group');
    const skipping = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: skipGroup,
      topics: [topic],
      deadLetterTopic: `${topic}.no-such-dlq`,
      onNoHandler: 'skip',
      resolveHandler: () => undefined,
    });
    await skipping.start();
    try {
      await eventually(async () => expect(await committedOffsets(kafka, skipGroup, topic)).toBe(2), {
        describe: 'the skipping consumer past both events',
      });
    } finally {
      await skipping.stop();
    }
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM messaging_inbox`)).toEqual([{ n: 0 }]);
  });
});
