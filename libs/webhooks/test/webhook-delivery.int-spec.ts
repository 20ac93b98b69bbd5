import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvent, dlqTopic, encodeCloudEvent, EVENT_EXAMPLES } from '@samverkan/contracts';
import {
  createKafkaClient,
  InboxConsumer,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  produceMessages,
  readTopicToEnd,
  withKafkaAdmin,
} from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase, eventually, loadStackInfo } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import {
  generateWebhookSecret,
  TokenBucket,
  verifySignature,
  WEBHOOK_MIGRATIONS,
  WebhookDeliveryStatus,
  webhookHandler,
  WebhookStatusController,
} from '../src';

jest.setTimeout(180_000);

// Real Kafka for the input (a scratch topic read by the consumer kit as admin), a real Postgres
// scratch database for the inbox and delivery status, and a real HTTP receiver on 127.0.0.1.
describe('webhook delivery of an audience (consumer kit + real receiver)', () => {
  const info = loadStackInfo();
  const admin = { brokers: info.kafka.brokers, ...info.kafka.admin };
  const suffix = randomBytes(4).toString('hex');
  const topic = `samverkan.test.webhook-${suffix}`;
  const group = `webhook-test-${suffix}`;
  const secret = generateWebhookSecret();
  const received: Array<{ headers: IncomingHttpHeaders; body: string; ceId: string }> = [];
  /** Statuses to answer per event id, in order; afterwards 204. */
  const script = new Map<string, number[]>();
  let server: Server;
  let url: string;
  let databaseUrl: string;
  let dataSource: DataSource;
  let consumer: InboxConsumer;
  const retry = { attempts: 4, baseMs: 50, capMs: 200 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const ceId = String(req.headers['ce-id']);
        received.push({ headers: req.headers, body, ceId });
        res.statusCode = script.get(ceId)?.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/samverkan`;
    await withKafkaAdmin(admin, (a) =>
      a.createTopics({
        waitForLeaders: true,
        topics: [
          { topic, numPartitions: 1 },
          { topic: dlqTopic(group), numPartitions: 1 },
        ],
      }),
    );
    databaseUrl = await createScratchDatabase('webhooks');
    dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      entities: [...MESSAGING_ENTITIES, WebhookDeliveryStatus],
      migrations: [...MESSAGING_MIGRATIONS, ...WEBHOOK_MIGRATIONS],
      migrationsRun: true,
    });
    await dataSource.initialize();
    const deliver = webhookHandler(
      { id: 'clinic', url, secret, bucket: new TokenBucket(50, 50) },
      dataSource,
      { retry },
    );
    consumer = new InboxConsumer({
      kafka: createKafkaClient({ brokers: info.kafka.brokers, clientId: group, sasl: info.kafka.admin }),
      dataSource,
      groupId: group,
      topics: [topic],
      resolveHandler: () => (event, context) => deliver(event, context),
      retry,
      transactionChunkSize: 1,
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await dataSource?.destroy();
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    await withKafkaAdmin(admin, (a) => a.deleteTopics({ topics: [topic, dlqTopic(group)] })).catch(
      () => undefined,
    );
    await new Promise<void>((r) => server.close(() => r()));
  });

  const scheduled = () =>
    createEvent('samverkan.course.scheduled.v1', {
      source: '/samverkan/leisure',
      subject: 'c0ffee00-0000-4000-8000-000000000002',
      municipality: '0781',
      legalbasis: 'no-personal-data',
      data: EVENT_EXAMPLES['samverkan.course.scheduled.v1'],
    });
  const status = async (eventId: string) =>
    dataSource.query<
      Array<{
        state: string;
        attempts: number;
        last_http_status: number | null;
        last_error_code: string | null;
      }>
    >(
      `SELECT state, attempts, last_http_status, last_error_code FROM webhook_deliveries WHERE event_id = $1`,
      [eventId],
    );

  it('retries after 500s and delivers once the receiver recovers; 400 and exhausted retries go to the dead letters', async () => {
    const flaky = scheduled();
    const refused = scheduled();
    const down = scheduled();
    script.set(flaky.id, [500, 500]);
    script.set(refused.id, [400]);
    script.set(down.id, [503, 503, 503, 503]);
    await produceMessages(admin, topic, [
      encodeCloudEvent(flaky),
      encodeCloudEvent(refused),
      encodeCloudEvent(down),
    ]);

    await eventually(
      async () =>
        expect(await status(down.id)).toEqual([
          { state: 'dead-lettered', attempts: 4, last_http_status: 503, last_error_code: 'HTTP_503' },
        ]),
      {
        describe: 'the event whose every attempt failed recorded as dead-lettered',
        timeoutMs: 90_000,
      },
    );
    expect(await status(refused.id)).toEqual([
      { state: 'dead-lettered', attempts: 1, last_http_status: 400, last_error_code: 'HTTP_400' },
    ]);
    // A delivery that failed before it succeeded keeps its last error for the console.
    expect(await status(flaky.id)).toEqual([
      { state: 'delivered', attempts: 3, last_http_status: 204, last_error_code: 'HTTP_500' },
    ]);
    expect(received.filter((r) => r.ceId === flaky.id)).toHaveLength(3);
    expect(received.filter((r) => r.ceId === refused.id)).toHaveLength(1);
    expect(received.filter((r) => r.ceId === down.id)).toHaveLength(4);
    for (const r of received) expect(verifySignature(secret, r.headers, r.body)).toBe(true);

    const dead = await eventually(
      async () => {
        const messages = await readTopicToEnd(admin, dlqTopic(group), {
          groupIdPrefix: `${group}-dlq-reader`,
        });
        expect(messages.length).toBeGreaterThan(1);
        return messages;
      },
      { describe: 'the refused event on the dead-letter topic', timeoutMs: 60_000 },
    );
    expect(dead.map((m) => [m.headers.ce_id, m.headers.dlq_reason])).toEqual([
      [refused.id, 'permanent-error'],
      [down.id, 'retries-exhausted'],
    ]);

    // What the operations console reads (GET /webhooks/status and /webhooks/deliveries).
    const controller = new WebhookStatusController(dataSource);
    expect(await controller.status()).toEqual([
      expect.objectContaining({
        subscriberId: 'clinic',
        delivered: 1,
        retrying: 0,
        deadLettered: 2,
        lastAttemptAt: expect.any(String),
        lastDeliveredAt: expect.any(String),
        lastFailureAt: expect.any(String),
        lastErrorCode: 'HTTP_503',
        backoffUntil: null,
        currentBackoffMs: null,
      }),
    ]);
    const deadRows = (await controller.deliveries('dead-lettered')) as Array<{ eventId: string }>;
    expect(deadRows.map((r) => r.eventId).sort()).toEqual([refused.id, down.id].sort());
  });
});
