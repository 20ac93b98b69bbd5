import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { validateEnv } from '@samverkan/config';
import { createKafkaClient } from '@samverkan/messaging';
import { loadStackInfo, openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { kafkaConnectionOf } from '../src/common/kafka-connection';
import { OperationsEnv } from '../src/config/operations.env';
import { ConsumerGroupsService } from '../src/consumer-groups/consumer-groups.service';
import type { GroupSample } from '../src/consumer-groups/group-sample';
import { LagHistoryStore } from '../src/consumer-groups/lag-history.store';
import { OPERATIONS_MIGRATIONS } from '../src/migrations';
import { OPERATIONS_ENTITIES } from '../src/operations.entities';

jest.setTimeout(120_000);

// The lag history in operations' database (real PostgreSQL), and a console restart on real Kafka that
// keeps it. No app is started and no fixed consumer group is joined: no e2e lock needed.

const MINUTE = 60_000;

function sample(
  at: Date,
  partitions: Array<[number, number | null, number, number, number]>,
  status: GroupSample['status'] = 'ok',
): GroupSample {
  const rows = partitions.map(([partition, committedOffset, endOffset, lag, lagSeconds]) => ({
    topic: 'samverkan.audience.education',
    partition,
    committedOffset,
    endOffset,
    lag,
    lagSeconds,
    memberId: committedOffset === null ? null : 'education-7f3a',
  }));
  return {
    at: at.toISOString(),
    state: 'Stable',
    members: 1,
    totalLag: rows.reduce((n, p) => n + p.lag, 0),
    maxLagSeconds: rows.reduce((m, p) => Math.max(m, p.lagSeconds), 0),
    status,
    partitions: rows,
  };
}

describe('operations lag history in PostgreSQL', () => {
  let schema: ServiceSchema;
  let store: LagHistoryStore;

  beforeAll(async () => {
    schema = await openServiceSchema('operations_lag_history', {
      entities: OPERATIONS_ENTITIES,
      migrations: OPERATIONS_MIGRATIONS,
    });
    await schema.dataSource.runMigrations({ transaction: 'each' });
    store = new LagHistoryStore(schema.dataSource);
  });

  afterAll(async () => {
    await schema?.close();
  });

  beforeEach(async () => {
    await schema.dataSource.query('DELETE FROM lag_samples');
  });

  describe('LagHistoryStore', () => {
    it('loads back what it stored, per group and oldest first, with nulls, totals and offsets past 2^31', async () => {
      const now = Date.now();
      const big = 2 ** 40;
      const education = [
        sample(new Date(now - 20_000), [
          [0, 10, 15, 5, 12.5],
          [1, null, 3, 3, 40],
        ]),
        sample(
          new Date(now - 10_000),
          [
            [0, big, big + 7, 7, 2],
            [1, 3, 3, 0, 0],
          ],
          'warning',
        ),
      ];
      const router = [sample(new Date(now - 10_000), [[0, 1, 1, 0, 0]])];
      // Stored out of order: the round order must not matter.
      await store.append([
        { groupId: 'education', sample: education[1] },
        { groupId: 'router', sample: router[0] },
      ]);
      await store.append([{ groupId: 'education', sample: education[0] }]);
      const loaded = await store.load(new Date(now - 60 * MINUTE));
      expect([...loaded.keys()].sort()).toEqual(['education', 'router']);
      expect(loaded.get('education')).toEqual(education);
      expect(loaded.get('router')).toEqual(router);
    });

    it('ignores a sample stored twice', async () => {
      const s = sample(new Date(), [[0, 1, 2, 1, 1]]);
      await store.append([{ groupId: 'education', sample: s }]);
      await store.append([{ groupId: 'education', sample: s }]);
      expect((await store.load(new Date(Date.now() - MINUTE))).get('education')).toEqual([s]);
    });

    it('prunes what is older than the horizon and keeps the rest', async () => {
      const now = Date.now();
      const old = sample(new Date(now - 90 * MINUTE), [
        [0, 1, 2, 1, 1],
        [1, 1, 1, 0, 0],
      ]);
      const recent = sample(new Date(now - 5 * MINUTE), [
        [0, 2, 2, 0, 0],
        [1, 1, 1, 0, 0],
      ]);
      await store.append([
        { groupId: 'education', sample: old },
        { groupId: 'education', sample: recent },
      ]);
      expect(await store.prune(new Date(now - 60 * MINUTE))).toBe(2);
      const [{ n }] = await schema.dataSource.query<Array<{ n: string }>>(
        'SELECT count(*) AS n FROM lag_samples',
      );
      expect(Number(n)).toBe(2);
      expect((await store.load(new Date(now - 120 * MINUTE))).get('education')).toEqual([recent]);
    });
  });

  describe('ConsumerGroupsService across a restart (real Kafka)', () => {
    const runId = randomUUID().slice(0, 8);
    // Under samverkan.: the operations principal may describe only those topics.
    const topic = `samverkan.test.lag-history.${runId}`;
    const groupId = `lag-history-test.${runId}`;
    const info = loadStackInfo();
    const admin = createKafkaClient({
      brokers: info.kafka.brokers,
      clientId: `lag-history-test-${runId}`,
      sasl: info.kafka.admin,
    }).admin();
    const env = () =>
      validateEnv(OperationsEnv, {
        KAFKA_BROKERS: info.kafka.brokers.join(','),
        KAFKA_USERNAME: info.kafka.principals.operations.username,
        KAFKA_PASSWORD: info.kafka.principals.operations.password,
        DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
        OPERATIONS_SAMPLER_ENABLED: 'false',
        // Only this test's group besides the topology's own (those are always watched).
        OPERATIONS_IGNORE_GROUPS: `^(?!lag-history-test\\.${runId}$)`,
      });
    const started: ConsumerGroupsService[] = [];
    const start = async () => {
      const service = new ConsumerGroupsService(env(), kafkaConnectionOf(env()), store);
      started.push(service);
      await service.onModuleInit();
      return service;
    };

    beforeAll(async () => {
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
      });
      const producer = createKafkaClient({
        brokers: info.kafka.brokers,
        clientId: `lag-history-test-${runId}`,
        sasl: info.kafka.admin,
      }).producer();
      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({
          partition: i % 2,
          value: JSON.stringify({ seq: i }),
        })),
      });
      await producer.disconnect();
      // A group without members that committed 2 of 5 on each partition: lag 3 + 3.
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [
          { partition: 0, offset: '2' },
          { partition: 1, offset: '2' },
        ],
      });
    });

    afterAll(async () => {
      for (const s of started) await s.onModuleDestroy();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });

    it('a restarted console has the samples of the one before, and goes on from them', async () => {
      const first = await start();
      for (let i = 0; i < 3; i++) await first.sampleNow();
      const before = (await first.history(groupId, 60)).samples;
      expect(before).toHaveLength(3);
      expect(before[2].totalLag).toBe(6);
      expect(before[2].partitions.map((p) => p.committedOffset)).toEqual([2, 2]);
      await first.onModuleDestroy();

      const second = await start();
      const after = (await second.history(groupId, 60)).samples;
      // Asking for the history samples once more (the first round after a start): three old, one new.
      expect(after).toHaveLength(4);
      expect(after.slice(0, 3)).toEqual(before);
      expect(Date.parse(after[3].at)).toBeGreaterThan(Date.parse(before[2].at));
      const stored = await store.load(new Date(Date.now() - 60 * MINUTE));
      expect(stored.get(groupId)).toEqual(after);
    });

    it('drops stored samples that fell out of the history when it samples', async () => {
      const service = await start();
      const stale = sample(new Date(Date.now() - 2 * 60 * MINUTE), [[0, 1, 2, 1, 1]]);
      await store.append([{ groupId, sample: stale }]);
      await service.sampleNow();
      const [{ n }] = await schema.dataSource.query<Array<{ n: string }>>(
        'SELECT count(*) AS n FROM lag_samples WHERE sampled_at = $1',
        [stale.at],
      );
      expect(Number(n)).toBe(0);
      expect((await store.load(new Date(0))).get(groupId)?.length).toBeGreaterThan(0);
    });
  });
});
