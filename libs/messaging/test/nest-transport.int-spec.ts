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
  SamverkanContext,
  SamverkanKafkaTransport,
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
      controllers: [ConcernReportsHandler],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
    app.connectMicroservice({ strategy: app.get(SamverkanKafkaTransport) });
    await app.startAllMicroservices();
    await app.init();
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
