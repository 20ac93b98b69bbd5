import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import { audienceTopic, CE_HEADERS, dlqTopic, EVENT_TYPES, encodeCloudEvent } from '@samverkan/contracts';
import { InboxConsumer, PermanentError, resolverFromHandlers } from '@samverkan/messaging';
import { startService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, eventually, loadStackInfo } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OperationsEnv } from '../src/config/operations.env';
import { ConsumerGroupsService } from '../src/consumer-groups/consumer-groups.service';
import type { DeadLetterView } from '../src/dead-letters/dead-letters.service';
import { OperationsModule } from '../src/operations.module';
import {
  adminKafka,
  CHILD_PNR,
  createTopics,
  deleteTopics,
  filedEvent,
  freePort,
  kafkaToolDescribe,
  produce,
  type FiledEvent,
  type Kafka,
} from './support/operations-test-kit';

jest.setTimeout(300_000);

// A consumer group of this test's own (`ops-test-…` reading `samverkan.audience.ops-test-…`, a real
// consumer-kit InboxConsumer), so the console is tested on a group nothing else touches. The console
// itself runs as the `operations` principal, whose ACLs are the topology's.

const TEST_ID = randomUUID().slice(0, 8);
const GROUP = `ops-test-${TEST_ID}`;
const TOPIC = audienceTopic(GROUP);
const DLQ = dlqTopic(GROUP);

interface Letters {
  total: number;
  masked: boolean;
  items: DeadLetterView[];
}

describe('apps/operations against the real stack', () => {
  let kafka: Kafka;
  let issuer: TestIssuer;
  let dbUrl: string;
  let app: INestApplication;
  let db: DataSource;
  let consumer: InboxConsumer;
  let port: number;
  let operator: string;
  let privileged: string;
  let notOperator: string;
  let broken = true;
  const good: FiledEvent[] = Array.from({ length: 6 }, (_, i) => filedEvent(`good-${i}`));
  const poison1 = filedEvent('poison-1');
  const poison2 = filedEvent('poison-2');
  const invalid = encodeCloudEvent(filedEvent('invalid'));

  const http = () => request(app.getHttpServer());
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const effectsOf = async (eventId: string): Promise<number> =>
    Number((await db.query(`SELECT count(*)::int AS n FROM ops_test_effects WHERE event_id = $1`, [eventId]))[0].n);
  const letters = async (token: string, query = ''): Promise<Letters> =>
    (await http().get(`/dead-letters/${GROUP}${query}`).set(auth(token)).expect(200)).body as Letters;
  const byEventId = (list: Letters, id: string) => list.items.filter((l) => l.eventId === id);

  beforeAll(async () => {
    const info = loadStackInfo();
    const principal = info.kafka.principals.operations;
    kafka = adminKafka();
    await createTopics(kafka, [
      { name: TOPIC, partitions: 2 },
      { name: DLQ, partitions: 1 },
    ]);
    issuer = await createTestIssuer();
    dbUrl = await createScratchDatabase('operations');
    port = await freePort();
    const env = validateEnv(OperationsEnv, {
      KAFKA_BROKERS: info.kafka.brokers.join(','),
      KAFKA_USERNAME: principal.username,
      KAFKA_PASSWORD: principal.password,
      DATABASE_URL: dbUrl,
      // The test samples on its own clock; only its own group besides the topology's is watched.
      OPERATIONS_SAMPLER_ENABLED: 'false',
      OPERATIONS_STATUS_WINDOW: '2',
      OPERATIONS_IGNORE_GROUPS: `^(?!${GROUP}$)`,
      OPERATIONS_SERVICE_URLS: `operations=http://127.0.0.1:${port},nowhere=http://127.0.0.1:1`,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [OperationsModule.forRoot(env, { auth: issuer.config })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    await startService(app, { name: 'operations', description: 'test', port });
    db = app.get(DataSource);
    await db.query(
      `CREATE TABLE ops_test_effects (id serial PRIMARY KEY, event_id uuid NOT NULL, subject text NOT NULL)`,
    );
    operator = await issuer.mintFor({ agency: 'operations', orgUnit: 'drift', roles: ['operator'], subject: 'op-1' });
    privileged = await issuer.mintFor({
      agency: 'operations',
      orgUnit: 'drift',
      roles: ['operator-privileged'],
      subject: 'op-priv',
    });
    notOperator = await issuer.mintFor({ agency: 'operations', orgUnit: 'drift', roles: ['analyst'] });

    consumer = new InboxConsumer({
      kafka,
      dataSource: db,
      groupId: GROUP,
      topics: [TOPIC],
      retry: { attempts: 2, baseMs: 10, capMs: 20 },
      resolveHandler: resolverFromHandlers({
        'samverkan.concern-report.filed.v1': async (_data, ctx) => {
          await ctx.manager.query(`INSERT INTO ops_test_effects (event_id, subject) VALUES ($1, $2)`, [
            ctx.event.id,
            ctx.event.subject,
          ]);
          if (broken && ctx.event.subject?.startsWith('poison'))
            throw new PermanentError('unit register says no', 'UNKNOWN_UNIT');
        },
      }),
    });
    await consumer.start();
    const invalidValue = JSON.stringify({ ...JSON.parse(invalid.value), child: undefined });
    await produce(kafka, TOPIC, [
      ...good.map((event, i) => ({ event, partition: i % 2 })),
      { event: poison1, partition: 0 },
      { event: poison2, partition: 1 },
      { raw: { ...invalid, value: invalidValue }, partition: 1 },
    ]);
    await eventually(
      async () => {
        expect((await letters(operator)).total).toBe(3);
        for (const e of good) expect(await effectsOf(e.id)).toBe(1);
      },
      { describe: 'six effects and three dead letters', timeoutMs: 120_000 },
    );
  });

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await app?.close();
    await issuer?.cleanup();
    if (dbUrl) await dropScratchDatabase(dbUrl);
    if (kafka) await deleteTopics(kafka, [TOPIC, DLQ]);
  });

  it('refuses callers without a token (401) or without an operator role (403); /health and /metrics are public', async () => {
    for (const path of ['/consumer-groups', `/dead-letters/${GROUP}`, '/audit', '/catalog', '/services/health', '/me']) {
      await http().get(path).expect(401);
      await http().get(path).set(auth(notOperator)).expect(403);
    }
    await http().post(`/dead-letters/${GROUP}/replay`).send({ ids: ['0-0'], reason: 'x' }).expect(401);
    await http().get('/health').expect(200);
    await http().get('/metrics').expect(200);
    const me = await http().get('/me').set(auth(privileged)).expect(200);
    expect(me.body).toMatchObject({ subject: 'op-priv', orgUnit: 'drift', privileged: true });
  });

  it('lists dead letters with their DLQ headers and personal data masked for an operator', async () => {
    const list = await letters(operator);
    expect(list.masked).toBe(true);
    expect(JSON.stringify(list)).not.toContain(CHILD_PNR);
    expect(JSON.stringify(list)).not.toContain('Testa Testsson');
    expect(JSON.stringify(list)).not.toContain('Fritext');
    const [p1] = byEventId(list, poison1.id);
    expect(p1).toMatchObject({
      eventType: 'samverkan.concern-report.filed.v1',
      originalTopic: TOPIC,
      originalPartition: 0,
      reason: 'permanent-error',
      errorClass: 'PermanentError',
      errorCode: 'UNKNOWN_UNIT',
      isReplay: false,
      state: 'open',
      payloadMasked: true,
    });
    const payload = p1.payload as { reportId: string; child: Record<string, string> };
    expect(payload.reportId).toBe(poison1.data.reportId);
    expect(payload.child.personnummer).toBe('[masked]');
    const invalidLetter = list.items.find((l) => l.reason === 'invalid-message')!;
    expect(invalidLetter.payload).not.toBeNull();
    expect((invalidLetter.payload as { child?: unknown }).child).toBeUndefined();

    const filtered = await letters(operator, `?errorClass=PermanentError&originalTopic=${TOPIC}`);
    expect(filtered.items.map((l) => l.eventId).sort()).toEqual([poison1.id, poison2.id].sort());
    expect((await letters(operator, `?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).total).toBe(0);
    await http().get(`/dead-letters/${GROUP}?from=yesterday`).set(auth(operator)).expect(400);
  });

  it('shows the payload unmasked to a privileged operator, and audits that', async () => {
    const list = await letters(privileged, '?errorClass=PermanentError');
    expect(list.masked).toBe(false);
    const [p1] = byEventId(list, poison1.id);
    expect((p1.payload as { child: { personnummer: string } }).child.personnummer).toBe(CHILD_PNR);
    const audit = await http().get('/audit?action=dead-letters.view-unmasked').set(auth(operator)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ subject: 'op-priv', orgUnit: 'drift', groupId: GROUP });
    expect(audit.body.items[0].targetIds).toEqual(expect.arrayContaining([p1.id]));
  });

  it('groups failures by error class and handler with counts and first/last seen', async () => {
    const res = await http().get(`/dead-letters/${GROUP}/failure-groups`).set(auth(operator)).expect(200);
    const permanent = res.body.groups.find((g: { errorClass: string }) => g.errorClass === 'PermanentError');
    expect(permanent).toMatchObject({
      eventType: 'samverkan.concern-report.filed.v1',
      reason: 'permanent-error',
      count: 2,
      openCount: 2,
      originalTopics: [TOPIC],
    });
    expect(Date.parse(permanent.firstSeen)).toBeLessThanOrEqual(Date.parse(permanent.lastSeen));
    expect(res.body.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(3);
  });

  it("never applies an operator's action recorded for another letter at the same position (a recreated topic)", async () => {
    const open = (await letters(operator)).items;
    const [first, second] = open;
    // Rows as an earlier incarnation of the DLQ topic would have left them: same partition and offset,
    // another letter (another timestamp; a pre-timestamp row with another event id), both discarded.
    await db.query(
      `INSERT INTO dead_letter_states (consumer_group, dlq_partition, dlq_offset, event_id, letter_timestamp, state, discarded_at, discard_reason)
       VALUES ($1, $2, $3, $4, $5, 'discarded', now(), 'old cluster'),
              ($1, $6, $7, 'not-this-letter', NULL, 'discarded', now(), 'old cluster')`,
      [GROUP, first.partition, first.offset, first.eventId, new Date(Date.parse(first.timestamp) - 60_000), second.partition, second.offset],
    );
    try {
      const after = await letters(operator);
      expect(after.items.map((l) => [l.id, l.state])).toEqual(open.map((l) => [l.id, 'open']));
    } finally {
      await db.query(`DELETE FROM dead_letter_states WHERE consumer_group = $1`, [GROUP]);
    }
  });

  it('replays to the original topic; a replay that fails again comes back marked and is refused a second replay', async () => {
    const [p1] = byEventId(await letters(operator), poison1.id);
    const res = await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ ids: [p1.id], reason: 'register fixed (not yet)' })
      .expect(200);
    expect(res.body).toEqual({
      replayed: [{ id: p1.id, eventId: poison1.id, topic: TOPIC, partition: 0 }],
      refused: [],
    });
    // Still broken: the copy fails and is dead-lettered again, carrying the replay header.
    let again: DeadLetterView | undefined;
    await eventually(
      async () => {
        again = byEventId(await letters(operator), poison1.id).find((l) => l.isReplay);
        expect(again).toBeDefined();
      },
      { describe: 'the replayed copy dead-lettered again', timeoutMs: 60_000 },
    );
    expect(again!.replayOf).toBe(`${GROUP}/${p1.id}`);
    expect(again!.headers[CE_HEADERS.id]).toBe(poison1.id);
    const refused = await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ ids: [again!.id], reason: 'try again' })
      .expect(200);
    expect(refused.body).toEqual({ replayed: [], refused: [{ id: again!.id, reason: 'replay-of-replay' }] });
    const original = (await letters(operator, '?state=all')).items.find((l) => l.id === p1.id)!;
    expect(original).toMatchObject({ state: 'replayed', replayCount: 1 });
  });

  it('after the fix, replay of an error class has its effect once, even when replayed twice', async () => {
    broken = false;
    const res = await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ errorClass: 'PermanentError', reason: 'unit register fixed' })
      .expect(200);
    // poison-2 is open; poison-1's original is already replayed (not open) and its failed copy is a replay.
    expect(res.body.replayed.map((r: { eventId: string }) => r.eventId)).toEqual([poison2.id]);
    expect(res.body.refused).toEqual([
      { id: expect.any(String), reason: 'replay-of-replay' },
    ]);
    await eventually(async () => expect(await effectsOf(poison2.id)).toBe(1), {
      describe: 'the replayed poison-2 applied',
      timeoutMs: 60_000,
    });
    const [p2] = byEventId(await letters(operator, '?state=all'), poison2.id);
    await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ ids: [p2.id], reason: 'once more' })
      .expect(200);
    // A marker after the second copy: once it is applied, the second copy has been seen and skipped.
    const marker = filedEvent('marker');
    await produce(kafka, TOPIC, [{ event: marker, partition: 1 }]);
    await eventually(async () => expect(await effectsOf(marker.id)).toBe(1), { describe: 'marker applied', timeoutMs: 60_000 });
    expect(await effectsOf(poison2.id)).toBe(1);
    await http().post(`/dead-letters/${GROUP}/replay`).set(auth(operator)).send({ reason: 'no target' }).expect(400);
    await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ ids: [p2.id], errorClass: 'PermanentError', reason: 'both' })
      .expect(400);
    await http().post(`/dead-letters/${GROUP}/replay`).set(auth(operator)).send({ ids: [p2.id] }).expect(400);
  });

  it('discards with a reason: hidden from the open list, shown with its reason under state=all, audited', async () => {
    const invalidLetter = (await letters(operator)).items.find((l) => l.reason === 'invalid-message')!;
    const res = await http()
      .post(`/dead-letters/${GROUP}/discard`)
      .set(auth(operator))
      .send({ ids: [invalidLetter.id, '0-999999'], reason: 'test data, no child behind it' })
      .expect(200);
    expect(res.body).toEqual({ discarded: [invalidLetter.id], notFound: ['0-999999'] });
    expect((await letters(operator)).items.map((l) => l.id)).not.toContain(invalidLetter.id);
    const all = (await letters(operator, '?state=all')).items.find((l) => l.id === invalidLetter.id)!;
    expect(all).toMatchObject({ state: 'discarded', discardReason: 'test data, no child behind it' });
    const refused = await http()
      .post(`/dead-letters/${GROUP}/replay`)
      .set(auth(operator))
      .send({ ids: [invalidLetter.id], reason: 'oops' })
      .expect(200);
    expect(refused.body.refused).toEqual([{ id: invalidLetter.id, reason: 'discarded' }]);

    const audit = await http().get(`/audit?groupId=${GROUP}`).set(auth(operator)).expect(200);
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['dead-letters.replay', 'dead-letters.discard']));
    const discard = audit.body.items.find((a: { action: string }) => a.action === 'dead-letters.discard');
    expect(discard).toMatchObject({
      subject: 'op-1',
      orgUnit: 'drift',
      agency: 'operations',
      reason: 'test data, no child behind it',
      targetIds: [invalidLetter.id],
    });
    expect(Number.isNaN(Date.parse(discard.at))).toBe(false);
    const rows = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE consumer_group = $1 AND action = 'dead-letters.replay'`, [GROUP]);
    expect(rows[0].n).toBeGreaterThanOrEqual(4);
  });

  it("reports the same offsets and lag as Kafka's ConsumerGroupCommand, lag in seconds from message age, and a stopped group", async () => {
    await consumer.stop();
    const before = Date.now();
    await produce(kafka, TOPIC, [
      ...Array.from({ length: 5 }, (_, i) => ({ event: filedEvent(`late-a-${i}`), partition: 0 })),
      ...Array.from({ length: 2 }, (_, i) => ({ event: filedEvent(`late-b-${i}`), partition: 1 })),
    ]);
    const after = Date.now();
    // Let the unconsumed messages age a little, so lag in seconds has something to measure.
    while (Date.now() - after < 3_500) await new Promise((resolve) => setTimeout(resolve, 250));
    const groups = app.get(ConsumerGroupsService);
    await groups.sampleNow();
    await groups.sampleNow();
    const sampledAt = Date.now();
    const res = await http().get(`/consumer-groups/${GROUP}`).set(auth(operator)).expect(200);
    const tool = await kafkaToolDescribe(GROUP);
    expect(tool.length).toBe(2);
    const ours = (res.body.partitions as Array<Record<string, number | string | null>>).map((p) => ({
      topic: p.topic,
      partition: p.partition,
      currentOffset: p.committedOffset,
      logEndOffset: p.endOffset,
      lag: p.lag,
    }));
    expect(ours).toEqual(tool);
    expect(tool.map((t) => t.lag)).toEqual([5, 2]);
    expect(res.body.totalLag).toBe(7);
    for (const p of res.body.partitions as Array<{ lagSeconds: number; status: string; memberId: string | null }>) {
      // The oldest unconsumed message was written between `before` and `after`, at least 3 s before the
      // samples; the lookup is exact to the second and never reports less than the true age.
      expect(p.lagSeconds).toBeGreaterThanOrEqual(3);
      expect(p.lagSeconds).toBeLessThanOrEqual((sampledAt - before) / 1000 + 1);
      expect(p.memberId).toBeNull();
      expect(p.status).toBe('stopped');
    }
    expect(res.body).toMatchObject({ groupId: GROUP, expected: false, state: 'Empty', status: 'stopped', members: [] });

    const list = await http().get('/consumer-groups').set(auth(operator)).expect(200);
    const summary = list.body.groups.find((g: { groupId: string }) => g.groupId === GROUP);
    expect(summary).toMatchObject({ status: 'stopped', totalLag: 7, members: 0, dlqTopic: DLQ });
    expect(list.body.groups.filter((g: { expected: boolean }) => g.expected).map((g: { groupId: string }) => g.groupId)).toEqual(
      expect.arrayContaining(['router', 'education', 'social-services', 'leisure', 'reporting']),
    );
    const history = await http().get(`/consumer-groups/${GROUP}/history?minutes=5`).set(auth(operator)).expect(200);
    expect(history.body.samples.length).toBeGreaterThanOrEqual(2);
    expect(history.body.samples.at(-1).totalLag).toBe(7);

    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toContain(`samverkan_consumer_group_lag_messages{group="${GROUP}",topic="${TOPIC}",partition="0"} 5`);
    expect(metrics).toContain(`samverkan_consumer_group_total_lag_messages{group="${GROUP}"} 7`);
    expect(metrics).toContain(`samverkan_consumer_group_status{group="${GROUP}"} 4`);
    expect(metrics).toMatch(new RegExp(`samverkan_consumer_group_lag_seconds\\{group="${GROUP}",topic="${TOPIC.replace(/\./g, '\\.')}",partition="1"\\} \\d`));
    // Four dead letters (three first, then poison-1's failed replay); three are replayed or discarded.
    expect(metrics).toMatch(new RegExp(`samverkan_dlq_depth_messages\\{group="${GROUP}"\\} 4`));
    expect(metrics).toMatch(new RegExp(`samverkan_dlq_unresolved_messages\\{group="${GROUP}"\\} 1`));
    expect(metrics).toContain('samverkan_service_up{service="operations"} 1');
    expect(metrics).toContain('samverkan_service_up{service="nowhere"} 0');
    expect(metrics).not.toContain(CHILD_PNR);
  });

  it('shows every service’s health with its outbox backlog; an unreachable one as such', async () => {
    const res = await http().get('/services/health').set(auth(operator)).expect(200);
    const [self, nowhere] = res.body.services;
    expect(self).toMatchObject({ name: 'operations', status: 'up', httpStatus: 200 });
    expect(self.checks).toMatchObject({ database: 'up', kafka: 'up', outbox: 'up' });
    expect(nowhere).toMatchObject({ name: 'nowhere', status: 'unreachable', httpStatus: null, outboxBacklog: null });
  });

  it('lists every event type with schema, producers, audiences per the sharing policy and consumer groups', async () => {
    const res = await http().get('/catalog').set(auth(operator)).expect(200);
    expect(res.body.eventTypes.map((e: { type: string }) => e.type).sort()).toEqual([...EVENT_TYPES].sort());
    const filed = res.body.eventTypes.find((e: { type: string }) => e.type === 'samverkan.concern-report.filed.v1');
    expect(filed.producers).toEqual(['education']);
    expect(filed.audiences.find((a: { audience: string }) => a.audience === 'social-services')).toMatchObject({
      outcome: 'full',
    });
    expect(filed.audiences.find((a: { audience: string }) => a.audience === 'reporting').outcome).toBe('pseudonymized');
    expect(filed.consumerGroups).toEqual(expect.arrayContaining(['router', 'social-services', 'reporting']));
    expect(filed.schema?.properties?.child).toBeDefined();
    expect(filed.personalDataFields).toEqual(expect.arrayContaining([{ path: 'child.personnummer', kind: 'identity' }]));
  });
});
