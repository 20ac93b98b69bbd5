import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import { createEvent, EVENT_EXAMPLES } from '@samverkan/contracts';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { configureHttpApp, startService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, loadStackInfo } from '@samverkan/testing';
import {
  recordAttempt,
  WEBHOOK_ENTITIES,
  WEBHOOK_MIGRATIONS,
  WEBHOOK_SUBSCRIBER_INFO,
  WebhookStatusController,
  type WebhookSubscriberInfo,
} from '@samverkan/webhooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OperationsEnv } from '../src/config/operations.env';
import { OperationsModule } from '../src/operations.module';
import type { WebhookSubscribersView } from '../src/webhooks/webhook-subscribers.service';

jest.setTimeout(120_000);

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

// Operations reads the status over HTTP from the app that delivers (here: the lib's status controller
// on a real Postgres scratch database, behind the same token check as in a generated app), next to an
// app that delivers no webhook (404) and one that is down.
describe('operations: webhook subscribers (GET /webhooks/subscribers)', () => {
  const info: WebhookSubscriberInfo = {
    subscriberId: 'clinic',
    receiver: 'https://clinic.example.se',
    rateLimit: { perSecond: 5, burst: 10 },
    maxAttempts: 6,
  };
  let issuer: TestIssuer;
  let subscriberDb: string;
  let operationsDb: string;
  let delivering: INestApplication;
  let operations: INestApplication;
  let plain: Server;
  let operator: string;

  const event = () =>
    createEvent('samverkan.course.scheduled.v1', {
      source: '/samverkan/leisure',
      subject: randomUUID(),
      municipality: '0781',
      legalbasis: 'no-personal-data',
      data: EVENT_EXAMPLES['samverkan.course.scheduled.v1'],
    });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    subscriberDb = await createScratchDatabase('ops_webhook_subscriber');
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: subscriberDb,
          entities: [...WEBHOOK_ENTITIES, ...MESSAGING_ENTITIES],
          migrations: [...WEBHOOK_MIGRATIONS, ...MESSAGING_MIGRATIONS],
          migrationsRun: true,
        }),
        AuthModule.forRoot({ config: issuer.config }),
      ],
      controllers: [WebhookStatusController],
      providers: [{ provide: WEBHOOK_SUBSCRIBER_INFO, useValue: info }],
    })
    class DeliveringApp {}
    delivering = await NestFactory.create(DeliveringApp, { logger: ['error'] });
    configureHttpApp(delivering, { name: 'clinic', description: 'webhook status under test' });
    await delivering.listen(0, '127.0.0.1');
    const db = delivering.get(DataSource);
    const [ok, waiting, dead] = [event(), event(), event()];
    await recordAttempt(db, 'clinic', ok, { state: 'delivered', httpStatus: 204 });
    await recordAttempt(db, 'clinic', dead, {
      state: 'dead-lettered',
      httpStatus: 500,
      errorCode: 'HTTP_500',
    });
    await recordAttempt(db, 'clinic', waiting, {
      state: 'retrying',
      httpStatus: 503,
      errorCode: 'HTTP_503',
      backoffCeilingMs: 60_000,
    });

    plain = createServer((_req, res) => {
      res.statusCode = 404;
      res.end('{"statusCode":404}');
    });
    const plainPort = await listen(plain);

    const stack = loadStackInfo();
    const principal = stack.kafka.principals.operations;
    operationsDb = await createScratchDatabase('ops_webhooks');
    const env = validateEnv(OperationsEnv, {
      KAFKA_BROKERS: stack.kafka.brokers.join(','),
      KAFKA_USERNAME: principal.username,
      KAFKA_PASSWORD: principal.password,
      DATABASE_URL: operationsDb,
      OPERATIONS_SAMPLER_ENABLED: 'false',
      OPERATIONS_SERVICE_URLS: [
        `clinic=${await delivering.getUrl()}`,
        `plain=http://127.0.0.1:${plainPort}`,
        'nowhere=http://127.0.0.1:1',
      ]
        .join(',')
        .replace(/\[::1\]|localhost/g, '127.0.0.1'),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [OperationsModule.forRoot(env, { auth: issuer.config })],
    }).compile();
    operations = moduleRef.createNestApplication({ logger: ['error'] });
    await startService(operations, { name: 'operations', description: 'test', port: 0 });
    operator = await issuer.mintFor({ agency: 'operations', orgUnit: 'drift', roles: [ROLES.OPERATOR] });
  });

  afterAll(async () => {
    await operations?.close();
    await delivering?.close();
    await new Promise<void>((resolve) => (plain ? plain.close(() => resolve()) : resolve()));
    for (const url of [operationsDb, subscriberDb]) if (url) await dropScratchDatabase(url);
    await issuer?.cleanup();
  });

  it('is for operators only', async () => {
    await request(operations.getHttpServer()).get('/webhooks/subscribers').expect(401);
    const analyst = await issuer.mintFor({ agency: 'operations', orgUnit: 'drift', roles: [ROLES.ANALYST] });
    await request(operations.getHttpServer())
      .get('/webhooks/subscribers')
      .set('Authorization', issuer.bearer(analyst))
      .expect(403);
  });

  it("aggregates each delivering app's status with the operator's own token; skips apps without webhooks", async () => {
    const res = await request(operations.getHttpServer())
      .get('/webhooks/subscribers')
      .set('Authorization', issuer.bearer(operator))
      .expect(200);
    const view = res.body as WebhookSubscribersView;
    expect(view.subscribers).toEqual([
      {
        service: 'clinic',
        subscriberId: 'clinic',
        receiver: 'https://clinic.example.se',
        rateLimit: { perSecond: 5, burst: 10 },
        maxAttempts: 6,
        delivered: 1,
        pending: 1,
        failed: 1,
        lastAttemptAt: expect.any(String),
        lastSuccessAt: expect.any(String),
        lastFailureAt: expect.any(String),
        // The latest failure is the one still retrying.
        lastErrorCode: 'HTTP_503',
        backoffUntil: expect.any(String),
        currentBackoffMs: expect.any(Number),
        deadLetterGroup: 'clinic',
      },
    ]);
    const [clinic] = view.subscribers;
    expect(clinic.currentBackoffMs).toBeGreaterThan(0);
    expect(clinic.currentBackoffMs).toBeLessThanOrEqual(60_000);
    expect(Date.parse(clinic.backoffUntil ?? '')).toBeGreaterThan(Date.parse(clinic.lastFailureAt ?? ''));
    // The app without webhooks answered 404 and is not listed; the one that is down is.
    expect(view.unavailable).toEqual([{ service: 'nowhere', httpStatus: null }]);
  });
});
