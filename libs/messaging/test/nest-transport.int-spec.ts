import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dlqTopic, type ConcernReportFiledV1 } from '@samverkan/contracts';
import { eventually, loadStackInfo } from '@samverkan/testing';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  DLQ_HEADERS,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  MessagingModule,
  OutboxRelay,
  OutboxService,
  PermanentError,
  SamverkanBatchContext,
  SamverkanContext,
  SamverkanKafkaTransport,
  TypedEventBatchPattern,
  TypedEventPattern,
} from '../src';
import {
  adminKafka,
  collectTopics,
  committedOffsets,
  createTestDatabase,
  createTopics,
  deleteTopics,
  filedEvent,
  uniqueName,
  type TestDatabase,
} from './messaging-test-kit';

jest.setTimeout(120_000);

type Filed = 'samverkan.concern-report.filed.v1';

@Controller()
class ConcernReportsHandler {
  static received: Array<{ reportId: string; isContext: boolean; attempt: number }> = [];

  @TypedEventPattern('samverkan.concern-report.filed.v1')
  async onFiled(@Payload() data: ConcernReportFiledV1, @Ctx() ctx: SamverkanContext<Filed>): Promise<void> {
    ConcernReportsHandler.received.push({
      reportId: data.reportId,
      isContext: ctx instanceof SamverkanContext,
      attempt: ctx.attempt,
    });
    await ctx.manager.query('INSERT INTO effects (event_id, subject, worker) VALUES ($1, $2, $3)', [
      ctx.event.id,
      ctx.event.subject,
      data.reportId,
    ]);
    if (ctx.event.subject === 'rejected') throw new PermanentError('rejected by intake rule', 'INTAKE_RULE');
  }
}

@Controller()
class BatchHandler {
  static calls: Array<{ reportIds: string[]; offsets: string[]; attempt: number; isContext: boolean }> = [];

  /** One multi-row INSERT for the whole run; a run holding the 'rejected' child fails as a whole. */
  @TypedEventBatchPattern('samverkan.concern-report.filed.v1')
  async onFiled(
    @Payload() data: ConcernReportFiledV1[],
    @Ctx() ctx: SamverkanBatchContext<Filed>,
  ): Promise<void> {
    BatchHandler.calls.push({
      reportIds: data.map((d) => d.reportId),
      offsets: [...ctx.offsets],
      attempt: ctx.attempt,
      isContext: ctx instanceof SamverkanBatchContext,
    });
    await ctx.manager.query(
      `INSERT INTO effects (event_id, subject, worker)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
      [ctx.events.map((e) => e.id), ctx.events.map((e) => e.subject), data.map((d) => d.reportId)],
    );
    if (ctx.events.some((e) => e.subject === 'rejected')) {
      throw new PermanentError('rejected by intake rule', 'INTAKE_RULE');
    }
  }
}

async function startApp(db: TestDatabase, topic: string, group: string, controller: new () => object) {
  const info = loadStackInfo();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: db.url,
        entities: MESSAGING_ENTITIES,
        migrations: MESSAGING_MIGRATIONS,
        migrationsRun: true,
      }),
      MessagingModule.forRoot({
        kafka: { brokers: info.kafka.brokers, clientId: uniqueName('nest-app'), sasl: info.kafka.admin },
        outbox: { defaultTopic: topic, relay: { lockRetryMs: 200 } },
        consumer: { groupId: group, topics: [topic], retry: { attempts: 2, baseMs: 10, capMs: 20 } },
      }),
    ],
    controllers: [controller],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  app.connectMicroservice({ strategy: app.get(SamverkanKafkaTransport) });
  await app.startAllMicroservices();
  await app.init();
  return app;
}

describe('Nest integration: MessagingModule + SamverkanKafkaTransport + @TypedEventPattern', () => {
  let kafka: Kafka;
  let db: TestDatabase;
  let app: INestApplication;
  let topic: string;
  let group: string;

  beforeAll(async () => {
    kafka = adminKafka();
    topic = `samverkan.test.${uniqueName('nest')}`;
    group = uniqueName('nest-group');
    await createTopics(kafka, [
      { name: topic, partitions: 2 },
      { name: dlqTopic(group), partitions: 1 },
    ]);
    db = await createTestDatabase('messaging_nest');
    app = await startApp(db, topic, group, ConcernReportsHandler);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await deleteTopics(kafka, [topic, dlqTopic(group)]);
  });

  it('delivers the typed payload to the handler, which writes its effect in the inbox transaction', async () => {
    const accepted = filedEvent('child-nest', 1);
    const rejected = filedEvent('rejected', 2);
    const dataSource = app.get(DataSource);
    const outbox = app.get(OutboxService);
    await dataSource.transaction(async (manager) => {
      await outbox.add(manager, accepted);
      await outbox.add(manager, rejected);
    });
    const dlq = await collectTopics(kafka, [dlqTopic(group)]);
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(2), {
        describe: 'the transport past both events',
      });
      await eventually(() => expect(dlq.messages).toHaveLength(1), {
        describe: 'the rejected event dead-lettered',
      });
    } finally {
      await dlq.close();
    }
    expect(await app.get(OutboxRelay).backlog()).toBe(0);
    expect(ConcernReportsHandler.received).toEqual(
      expect.arrayContaining([
        { reportId: accepted.data.reportId, isContext: true, attempt: 1 },
        { reportId: rejected.data.reportId, isContext: true, attempt: 1 },
      ]),
    );
    // The accepted event's effect and inbox row committed together; the rejected one's rolled back.
    const effects = await db.dataSource.query(`SELECT event_id::text, worker FROM effects`);
    expect(effects).toEqual([{ event_id: accepted.id, worker: accepted.data.reportId }]);
    const inbox = await db.dataSource.query(
      `SELECT event_id::text FROM messaging_inbox WHERE consumer_group = $1`,
      [group],
    );
    expect(inbox).toEqual([{ event_id: accepted.id }]);
    // The kit saw the handler's own error class and code, not Nest's generic "Internal server error".
    expect(dlq.messages[0].headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'permanent-error',
      [DLQ_HEADERS.errorClass]: 'PermanentError',
      [DLQ_HEADERS.errorCode]: 'INTAKE_RULE',
      [DLQ_HEADERS.errorMessage]: 'rejected by intake rule',
      [DLQ_HEADERS.originalTopic]: topic,
    });
  });
});

describe('Nest integration: @TypedEventBatchPattern', () => {
  let kafka: Kafka;
  let db: TestDatabase;
  let app: INestApplication;
  let topic: string;
  let group: string;

  beforeAll(async () => {
    kafka = adminKafka();
    topic = `samverkan.test.${uniqueName('nest-batch')}`;
    group = uniqueName('nest-batch-group');
    // One partition: every event below is in one ordered run.
    await createTopics(kafka, [
      { name: topic, partitions: 1 },
      { name: dlqTopic(group), partitions: 1 },
    ]);
    db = await createTestDatabase('messaging_nest_batch');
    app = await startApp(db, topic, group, BatchHandler);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await deleteTopics(kafka, [topic, dlqTopic(group)]);
  });

  it('hands a run of events to one call, and after a failure redoes them one at a time so only the poison is dead-lettered', async () => {
    const outbox = app.get(OutboxService);
    const dataSource = app.get(DataSource);
    const clean = [1, 2, 3, 4, 5].map((n) => filedEvent(`child-batch-${n}`, n));
    // First a clean run (written by one handler call), then a run with a poison event in its middle.
    await dataSource.transaction((manager) => outbox.addMany(manager, clean));
    await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(5), {
      describe: 'the transport past the clean run',
    });
    expect(BatchHandler.calls.some((c) => c.reportIds.length > 1)).toBe(true);
    expect(BatchHandler.calls.flatMap((c) => c.reportIds)).toEqual(clean.map((e) => e.data.reportId));
    expect(BatchHandler.calls.every((c) => c.isContext && c.attempt === 1)).toBe(true);
    expect(BatchHandler.calls.flatMap((c) => c.offsets)).toEqual(['0', '1', '2', '3', '4']);

    BatchHandler.calls = [];
    const mixed = [filedEvent('child-batch-6', 6), filedEvent('rejected', 7), filedEvent('child-batch-8', 8)];
    const dlq = await collectTopics(kafka, [dlqTopic(group)]);
    try {
      await dataSource.transaction((manager) => outbox.addMany(manager, mixed));
      await eventually(async () => expect(await committedOffsets(kafka, group, topic)).toBe(8), {
        describe: 'the transport past the mixed run',
      });
      await eventually(() => expect(dlq.messages).toHaveLength(1), { describe: 'the poison dead-lettered' });
    } finally {
      await dlq.close();
    }
    // The run failed as a whole (rolled back), then each event went alone: the poison on its own.
    expect(BatchHandler.calls.filter((c) => c.reportIds.length === 1).map((c) => c.reportIds[0])).toEqual(
      expect.arrayContaining(mixed.map((e) => e.data.reportId)),
    );
    expect(dlq.messages[0].headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'permanent-error',
      [DLQ_HEADERS.errorCode]: 'INTAKE_RULE',
    });
    // Each good event's effect exactly once, in partition order; nothing of the poison.
    const effects: Array<{ event_id: string }> = await db.dataSource.query(
      `SELECT event_id::text FROM effects ORDER BY id`,
    );
    const good = [...clean, mixed[0], mixed[2]].map((e) => e.id);
    expect(effects.map((e) => e.event_id)).toEqual(good);
    const inbox: Array<{ n: number }> = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM messaging_inbox WHERE consumer_group = $1`,
      [group],
    );
    expect(inbox[0].n).toBe(good.length);
  });
});
