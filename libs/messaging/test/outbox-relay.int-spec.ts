import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CE_HEADERS } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import type { Kafka } from 'kafkajs';
import {
  InboxConsumer,
  OUTBOX_CLAIM_SQL,
  OUTBOX_PENDING_SQL,
  OUTBOX_RELAY_SESSION_SETUP,
  OutboxRelay,
  OutboxService,
  resolverFromHandlers,
} from '../src';
import {
  adminKafka,
  collectTopics,
  committedOffsets,
  createTestDatabase,
  createTopics,
  deleteTopics,
  endOffsets,
  filedEvent,
  insertEffect,
  runFixture,
  uniqueName,
  type CollectedMessage,
  type FiledEvent,
  type TestDatabase,
} from './messaging-test-kit';

jest.setTimeout(120_000);

/** Event ids per key in the order they appear on the topic (one key lives in one partition). */
function idsByKey(messages: CollectedMessage[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  const ordered = [...messages].sort(
    (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
  for (const m of ordered) {
    const list = byKey.get(m.key) ?? [];
    list.push(m.headers[CE_HEADERS.id]);
    byKey.set(m.key, list);
  }
  return byKey;
}

function expectedByKey(events: FiledEvent[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const e of events) byKey.set(e.subject, [...(byKey.get(e.subject) ?? []), e.id]);
  return byKey;
}

interface ExplainedPlan {
  'Actual Rows': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
}

describe('transactional outbox and relay (real Kafka + Postgres)', () => {
  let kafka: Kafka;
  let db: TestDatabase;
  let topic: string;
  let outbox: OutboxService;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    kafka = adminKafka();
    topic = `samverkan.test.${uniqueName('outbox')}`;
    await createTopics(kafka, [{ name: topic, partitions: 3 }]);
    db = await createTestDatabase('messaging_outbox');
    outbox = new OutboxService({ defaultTopic: topic });
  });

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    await db?.drop();
    await deleteTopics(kafka, [topic]);
  });

  async function commitEvents(events: FiledEvent[]): Promise<void> {
    await db.dataSource.transaction(async (manager) => {
      for (const event of events) await outbox.add(manager, event);
    });
  }

  it("publishes a committed transaction's events exactly once and in order per key, and never a rolled-back one's", async () => {
    const relay = new OutboxRelay({ kafka, dataSource: db.dataSource, batchSize: 7, lockRetryMs: 200 });
    relays.push(relay);
    await relay.start();

    const committed: FiledEvent[] = [];
    const rolledBack: FiledEvent[] = [];
    for (let tx = 0; tx < 10; tx++) {
      const events = ['child-a', 'child-b', 'child-c', 'child-d'].map((subject, i) =>
        filedEvent(subject, tx * 4 + i),
      );
      if (tx % 3 === 2) {
        rolledBack.push(...events);
        await expect(
          db.dataSource.transaction(async (manager) => {
            for (const event of events) await outbox.add(manager, event);
            throw new Error('business rule failed after the events were added');
          }),
        ).rejects.toThrow('business rule failed');
      } else {
        committed.push(...events);
        await commitEvents(events);
      }
    }
    const collector = await collectTopics(kafka, [topic]);
    try {
      await eventually(
        async () => {
          expect(await relay.backlog()).toBe(0);
          expect(collector.messages.length).toBe(committed.length);
        },
        { describe: 'every committed event on the topic', dump: () => collector.messages.length },
      );
      // The topic holds exactly the records we collected (nothing more was appended).
      expect(await endOffsets(kafka, topic)).toBe(committed.length);
      const ids = collector.messages.map((m) => m.headers[CE_HEADERS.id]);
      expect(new Set(ids).size).toBe(committed.length);
      expect(ids.sort()).toEqual(committed.map((e) => e.id).sort());
      for (const event of rolledBack) expect(ids).not.toContain(event.id);
      expect(idsByKey(collector.messages)).toEqual(expectedByKey(committed));
      const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM messaging_outbox`);
      expect(n).toBe(committed.length);
    } finally {
      await collector.close();
    }
  });

  it('a statement() row without NOTIFY goes out when the writer says committed(), without waiting for a poll', async () => {
    // Polling off (idle 0, fallback a minute): only a wake-up makes this relay look.
    const relay = new OutboxRelay({
      kafka,
      dataSource: db.dataSource,
      lockRetryMs: 200,
      idlePollMs: 0,
      fallbackPollMs: 60_000,
    });
    relays.push(relay);
    outbox.onCommitted(() => relay.nudge());
    await relay.start();
    await eventually(() => expect(relay.ownedShards.length).toBeGreaterThan(0), {
      describe: 'the relay owning its shards',
    });
    const event = filedEvent('child-nudged', 1);
    const statement = outbox.statement([event], { firstParam: 1 });
    await db.dataSource.query(`WITH outbox AS (${statement.insert}) SELECT 1`, statement.params);
    // Written and committed, but nobody said so: the relay has not looked.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await relay.backlog()).toBe(1);
    const collector = await collectTopics(kafka, [topic]);
    try {
      outbox.committed();
      await eventually(
        () => expect(collector.messages.map((m) => m.headers[CE_HEADERS.id])).toEqual([event.id]),
        {
          describe: 'the nudged row on the topic',
        },
      );
      expect(await relay.backlog()).toBe(0);
    } finally {
      await collector.close();
    }
  });

  it('an idle relay polls with one statement, no transaction, and a row nobody announced still goes out on the poll', async () => {
    const relay = new OutboxRelay({ kafka, dataSource: db.dataSource, lockRetryMs: 200, idlePollMs: 20 });
    relays.push(relay);
    await relay.start();
    const relaySession = async (): Promise<string> => {
      const rows = await db.dataSource.query<Array<{ query: string }>>(
        `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'samverkan-outbox-relay'`,
      );
      return rows.map((r) => r.query).join(' | ');
    };
    await eventually(async () => expect(await relaySession()).toBe(OUTBOX_PENDING_SQL), {
      describe: "the relay's session asking whether anything is pending",
      dump: relaySession,
    });
    // Twenty polls' worth: the session's last statement is the question every time, never a
    // BEGIN, the claim or a COMMIT.
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      seen.add(await relaySession());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([...seen]).toEqual([OUTBOX_PENDING_SQL]);

    const collector = await collectTopics(kafka, [topic]);
    try {
      // Written by another process's way: no NOTIFY, no committed().
      const event = filedEvent('child-polled', 1);
      const statement = outbox.statement([event], { firstParam: 1 });
      await db.dataSource.query(`WITH outbox AS (${statement.insert}) SELECT 1`, statement.params);
      await eventually(
        () => expect(collector.messages.map((m) => m.headers[CE_HEADERS.id])).toEqual([event.id]),
        { describe: 'the unannounced row on the topic', dump: () => collector.messages.length },
      );
      expect(await relay.backlog()).toBe(0);
    } finally {
      await collector.close();
    }
  });

  it('setStatement() writes, in order, only the events its statement accepts, and the relay sends them', async () => {
    const relay = new OutboxRelay({ kafka, dataSource: db.dataSource, lockRetryMs: 200 });
    relays.push(relay);
    outbox.onCommitted(() => relay.nudge());
    await relay.start();
    // Two events about one child around one that the statement refuses (as a group commit refuses
    // a request whose Idempotency-Key was taken).
    const events = [filedEvent('child-set', 1), filedEvent('child-refused', 1), filedEvent('child-set', 2)];
    const accepted = [events[0].id, events[2].id];
    const statement = outbox.setStatement(events, {
      firstParam: 2,
      eventIds: '(SELECT id FROM accepted)',
    });
    await db.dataSource.query(
      `WITH accepted AS (SELECT unnest($1::uuid[]) AS id), outbox AS (${statement.insert}) SELECT 1`,
      [accepted, ...statement.params],
    );
    // The prepared text does not depend on the number of events.
    expect(outbox.setStatement(events.slice(0, 1), { firstParam: 2, eventIds: '(x)' }).insert).toBe(
      outbox.setStatement(events, { firstParam: 2, eventIds: '(x)' }).insert,
    );
    const rows = await db.dataSource.query<{ event_id: string; message_key: string; topic: string }[]>(
      'SELECT event_id::text, message_key, topic FROM messaging_outbox ORDER BY position',
    );
    expect(rows.map((r) => r.event_id)).toEqual(accepted);
    expect(rows.every((r) => r.message_key === 'child-set' && r.topic === topic)).toBe(true);
    const collector = await collectTopics(kafka, [topic]);
    try {
      outbox.committed();
      await eventually(() => expect(idsByKey(collector.messages).get('child-set')).toEqual(accepted), {
        describe: 'the two accepted events on the topic, in order',
      });
      expect(collector.messages).toHaveLength(2);
    } finally {
      await collector.close();
    }
  });

  it('claims a row after a quiet spell at once, and while rows flow lingers to send several commits in one batch', async () => {
    const batches: number[] = [];
    const relay = new OutboxRelay({
      kafka,
      dataSource: db.dataSource,
      lockRetryMs: 200,
      // Long, so that the five commits below land inside it even on a loaded machine.
      lingerMs: 1_000,
      hooks: {
        afterSend: async (positions) => {
          batches.push(positions.length);
        },
      },
    });
    relays.push(relay);
    outbox.onCommitted(() => relay.nudge());
    await relay.start();
    await eventually(() => expect(relay.ownedShards.length).toBeGreaterThan(0), {
      describe: 'the relay owning its shards',
    });
    const write = async (event: FiledEvent) => {
      const statement = outbox.statement([event], { firstParam: 1 });
      await db.dataSource.query(`WITH outbox AS (${statement.insert}) SELECT 1`, statement.params);
      outbox.committed();
    };
    await write(filedEvent('child-linger', 0));
    await eventually(() => expect(batches).toEqual([1]), { describe: 'the first row sent on its own' });
    for (let i = 1; i <= 5; i++) await write(filedEvent('child-linger', i));
    await eventually(() => expect(relay.published).toBe(6), {
      describe: 'all six rows published',
      dump: () => ({ batches }),
    });
    // Without the linger each commit's wake-up starts a claim of its own.
    expect(batches).toEqual([1, 5]);
  });

  it("a claim reads a few index pages however many rows were published since the last VACUUM, on the relay's session", async () => {
    // 20,000 rows published and not vacuumed (each leaves a dead entry in the pending index), 100
    // pending, and no statistics: a fresh table, or autovacuum off.
    await db.dataSource.query(
      `INSERT INTO messaging_outbox (event_id, topic, message_key, headers, payload, shard)
       SELECT gen_random_uuid(), $1, 'key-' || g, '{}'::jsonb, repeat('x', 500), g % 16 FROM generate_series(1, 20100) g`,
      [topic],
    );
    await db.dataSource.query(
      `UPDATE messaging_outbox SET published_at = now() WHERE position <= (SELECT max(position) - 100 FROM messaging_outbox)`,
    );
    const session = db.dataSource.createQueryRunner();
    try {
      await session.query(OUTBOX_RELAY_SESSION_SETUP);
      await session.query(`PREPARE claim (smallint[], int) AS ${OUTBOX_CLAIM_SQL}`);
      const claim = async (): Promise<{ rows: number; pages: number }> => {
        await session.query('BEGIN');
        try {
          const [row] = (await session.query(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE claim('{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}', 50)`,
          )) as Array<{ 'QUERY PLAN': Array<{ Plan: ExplainedPlan }> }>;
          const plan = row['QUERY PLAN'][0].Plan;
          return { rows: plan['Actual Rows'], pages: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'] };
        } finally {
          await session.query('ROLLBACK');
        }
      };
      // The first claim after the rows were published marks their index entries dead as it passes.
      expect((await claim()).rows).toBe(50);
      const again = await claim();
      expect(again.rows).toBe(50);
      // Walking the index in order: a few hundred pages. A bitmap scan read every dead row's heap
      // page, about 20,000.
      expect(again.pages).toBeLessThan(2_000);
    } finally {
      await session.release();
    }
  });

  it('refuses to add outside a transaction', async () => {
    await expect(outbox.add(db.dataSource.manager, filedEvent('child-x', 0))).rejects.toMatchObject({
      code: 'OUTBOX_NO_TRANSACTION',
    });
  });

  it('two relays side by side publish every row exactly once and in per-key order, and one takes over when the other stops', async () => {
    const first = new OutboxRelay({
      kafka,
      dataSource: db.dataSource,
      batchSize: 5,
      lockRetryMs: 100,
      maxShards: 8,
    });
    const second = new OutboxRelay({
      kafka: adminKafka(),
      dataSource: db.dataSource,
      batchSize: 5,
      lockRetryMs: 100,
    });
    relays.push(first, second);
    await first.start();
    await eventually(() => expect(first.ownedShards.length).toBe(8), {
      describe: 'the first relay owning 8 shards',
    });
    await second.start();
    await eventually(
      () => {
        expect(first.ownedShards.length).toBe(8);
        expect(second.ownedShards.length).toBe(8);
      },
      { describe: 'the shards split between the two relays' },
    );
    expect([...first.ownedShards, ...second.ownedShards].sort((a, b) => a - b)).toEqual([
      ...Array(16).keys(),
    ]);

    const subjects = Array.from({ length: 12 }, (_, i) => `child-${i}`);
    const all: FiledEvent[] = [];
    // Concurrent writers; within one subject the transactions run one after another.
    await Promise.all(
      subjects.map(async (subject, s) => {
        for (let n = 0; n < 8; n++) {
          const event = filedEvent(subject, s * 100 + n);
          all.push(event);
          await commitEvents([event]);
        }
      }),
    );
    const collector = await collectTopics(kafka, [topic]);
    try {
      await eventually(() => expect(collector.messages.length).toBe(all.length), {
        describe: 'every event from both relays',
      });
      expect(first.published).toBeGreaterThan(0);
      expect(second.published).toBeGreaterThan(0);

      // Failover: the first relay stops; the second takes its shards and publishes the rest.
      await first.stop();
      await eventually(() => expect(second.ownedShards.length).toBe(16), {
        describe: 'the second relay owning all shards',
      });
      const later = subjects.map((subject, s) => filedEvent(subject, s * 100 + 50));
      all.push(...later);
      for (const event of later) await commitEvents([event]);
      await eventually(() => expect(collector.messages.length).toBe(all.length), {
        describe: 'events after failover',
      });

      expect(await endOffsets(kafka, topic)).toBe(all.length);
      const ids = collector.messages.map((m) => m.headers[CE_HEADERS.id]);
      expect(new Set(ids).size).toBe(all.length);
      // Order per key follows the commit order of each subject's transactions.
      const committedOrder = await db.dataSource.query(
        `SELECT event_id::text AS id, message_key AS key FROM messaging_outbox ORDER BY position`,
      );
      const expected = new Map<string, string[]>();
      for (const row of committedOrder as Array<{ id: string; key: string }>) {
        expected.set(row.key, [...(expected.get(row.key) ?? []), row.id]);
      }
      expect(idsByKey(collector.messages)).toEqual(expected);
    } finally {
      await collector.close();
    }
  });

  it('a relay killed between publishing and marking leaves duplicates on the topic but none in the effects', async () => {
    const events = Array.from({ length: 20 }, (_, i) => filedEvent(`child-${i % 4}`, i));
    await commitEvents(events);
    const dir = mkdtempSync(join(tmpdir(), 'relay-kill-'));
    const sentFile = join(dir, 'sent');
    const fixture = runFixture('relay.fixture.ts', { DB_URL: db.url, BATCH_SIZE: '10', SENT_FILE: sentFile });
    try {
      await eventually(() => expect(existsSync(sentFile)).toBe(true), {
        describe: 'the relay fixture to have sent its first batch',
        timeoutMs: 60_000,
        dump: fixture.output,
      });
    } finally {
      fixture.child.kill('SIGKILL');
      await fixture.exited;
    }
    const sentPositions = readFileSync(sentFile, 'utf8').split(',');
    expect(sentPositions).toHaveLength(10);
    // The batch reached the broker, but its rows are still unpublished in the outbox.
    await eventually(async () => expect(await endOffsets(kafka, topic)).toBe(10), {
      describe: 'first batch on the topic',
    });
    const [{ n: unpublished }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM messaging_outbox WHERE published_at IS NULL`,
    );
    expect(unpublished).toBe(20);

    // A healthy relay publishes everything again; a consumer kit consumer applies each event once.
    const relay = new OutboxRelay({ kafka, dataSource: db.dataSource, batchSize: 50, lockRetryMs: 200 });
    relays.push(relay);
    await relay.start();
    const group = uniqueName('relay-kill-consumer');
    const consumer = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: group,
      topics: [topic],
      deadLetterTopic: `${topic}.dlq`,
      resolveHandler: resolverFromHandlers({
        'samverkan.concern-report.filed.v1': (_data, ctx) => insertEffect(ctx),
      }),
    });
    await consumer.start();
    try {
      await eventually(async () => expect(await endOffsets(kafka, topic)).toBe(30), {
        describe: '10 duplicates + 20 events on the topic',
      });
      await eventually(
        async () => {
          const [{ n }] = await db.dataSource.query(`SELECT count(DISTINCT event_id)::int AS n FROM effects`);
          expect(n).toBe(20);
          const [{ c }] = await db.dataSource.query(
            `SELECT count(*)::int AS c FROM messaging_inbox WHERE consumer_group = $1`,
            [group],
          );
          expect(c).toBe(20);
        },
        { describe: 'one effect per event' },
      );
      await eventually(async () => expect(await relay.backlog()).toBe(0), { describe: 'outbox drained' });
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(30), {
        describe: 'the consumer past every record, duplicates included',
      });
      const [{ total }] = await db.dataSource.query(`SELECT count(*)::int AS total FROM effects`);
      expect(total).toBe(20);
    } finally {
      await consumer.stop();
    }
  });
});
