import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
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
  readCaFile,
  TokenBucket,
  verifySignature,
  WEBHOOK_MIGRATIONS,
  WebhookDeliveryStatus,
  webhookHandler,
  WebhookStatusController,
} from '../src';
import { createTestPki, startHttpsReceiver, type TestPki } from './test-pki';

jest.setTimeout(180_000);

// Real Kafka input through the consumer kit, a real Postgres scratch database, and a real HTTPS
// receiver whose certificate a throw-away CA signed. Two subscribers share the receiver: one trusts
// the CA (WEBHOOK_CA_FILE), the other only Node's roots, so its deliveries fail like any other.
describe('webhook delivery of an audience over HTTPS (consumer kit + private CA)', () => {
  const info = loadStackInfo();
  const admin = { brokers: info.kafka.brokers, ...info.kafka.admin };
  const suffix = randomBytes(4).toString('hex');
  const topic = `samverkan.test.webhook-tls-${suffix}`;
  const group = `webhook-tls-test-${suffix}`;
  const secret = generateWebhookSecret();
  const retry = { attempts: 3, baseMs: 50, capMs: 200 };
  const untrustedSubject = 'c0ffee00-0000-4000-8000-00000000000a';
  let pki: TestPki;
  let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
  let databaseUrl: string;
  let dataSource: DataSource;
  let consumer: InboxConsumer;

  beforeAll(async () => {
    pki = createTestPki();
    receiver = await startHttpsReceiver(pki.server);
    await withKafkaAdmin(admin, (a) =>
      a.createTopics({
        waitForLeaders: true,
        topics: [
          { topic, numPartitions: 1 },
          { topic: dlqTopic(group), numPartitions: 1 },
        ],
      }),
    );
    databaseUrl = await createScratchDatabase('webhooks_tls');
    dataSource = new DataSource({
      type: 'postgres',
      url: databaseUrl,
      entities: [...MESSAGING_ENTITIES, WebhookDeliveryStatus],
      migrations: [...MESSAGING_MIGRATIONS, ...WEBHOOK_MIGRATIONS],
      migrationsRun: true,
    });
    await dataSource.initialize();
    const subscriber = (id: string, ca?: string[]) => ({
      id,
      url: receiver.url('/samverkan'),
      secret,
      bucket: new TokenBucket(50, 50),
      ...(ca ? { ca } : {}),
    });
    const trusted = webhookHandler(subscriber('clinic-internal-ca', readCaFile(pki.caFile)), dataSource, {
      retry,
    });
    const untrusted = webhookHandler(subscriber('clinic-no-ca'), dataSource, { retry });
    consumer = new InboxConsumer({
      kafka: createKafkaClient({ brokers: info.kafka.brokers, clientId: group, sasl: info.kafka.admin }),
      dataSource,
      groupId: group,
      topics: [topic],
      resolveHandler: () => (event, context) =>
        (event.subject === untrustedSubject ? untrusted : trusted)(event, context),
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
    await receiver?.close();
    pki?.dispose();
  });

  const scheduled = (subject: string) =>
    createEvent('samverkan.course.scheduled.v1', {
      source: '/samverkan/leisure',
      subject,
      municipality: '0781',
      legalbasis: 'no-personal-data',
      data: EVENT_EXAMPLES['samverkan.course.scheduled.v1'],
    });
  const status = async (eventId: string) =>
    dataSource.query<
      Array<{
        subscriber_id: string;
        state: string;
        attempts: number;
        last_http_status: number | null;
        last_error_code: string | null;
      }>
    >(
      `SELECT subscriber_id, state, attempts, last_http_status, last_error_code FROM webhook_deliveries WHERE event_id = $1`,
      [eventId],
    );

  it('delivers with the CA; without it every attempt fails as WEBHOOK_TLS and the event is dead-lettered', async () => {
    const delivered = scheduled('c0ffee00-0000-4000-8000-000000000009');
    const refused = scheduled(untrustedSubject);
    await produceMessages(admin, topic, [encodeCloudEvent(delivered), encodeCloudEvent(refused)]);

    await eventually(
      async () =>
        expect(await status(refused.id)).toEqual([
          {
            subscriber_id: 'clinic-no-ca',
            state: 'dead-lettered',
            attempts: 3,
            last_http_status: null,
            last_error_code: 'WEBHOOK_TLS',
          },
        ]),
      { describe: 'the untrusted delivery recorded as dead-lettered after every attempt', timeoutMs: 90_000 },
    );
    expect(await status(delivered.id)).toEqual([
      {
        subscriber_id: 'clinic-internal-ca',
        state: 'delivered',
        attempts: 1,
        last_http_status: 204,
        last_error_code: null,
      },
    ]);
    // Only the trusted subscriber's request reached the receiver: the others never finished a handshake.
    expect(receiver.received.map((r) => r.headers['ce-id'])).toEqual([delivered.id]);
    expect(verifySignature(secret, receiver.received[0].headers, receiver.received[0].body)).toBe(true);

    const dead = await eventually(
      async () => {
        const messages = await readTopicToEnd(admin, dlqTopic(group), {
          groupIdPrefix: `${group}-dlq-reader`,
        });
        expect(messages).toHaveLength(1);
        return messages;
      },
      { describe: 'the untrusted event on the dead-letter topic', timeoutMs: 60_000 },
    );
    expect([dead[0].headers.ce_id, dead[0].headers.dlq_reason]).toEqual([refused.id, 'retries-exhausted']);

    // The console sees the code, never the payload, URL or certificate details.
    const rows = (await new WebhookStatusController(dataSource).deliveries('dead-lettered')) as Array<
      Record<string, unknown>
    >;
    expect(rows).toEqual([expect.objectContaining({ eventId: refused.id, lastErrorCode: 'WEBHOOK_TLS' })]);
    const seen = JSON.stringify(rows);
    for (const value of [
      untrustedSubject,
      '127.0.0.1',
      '/samverkan',
      ...Object.values(refused.data)
        .map(String)
        .filter((v) => v.length >= 6),
    ]) {
      expect(seen).not.toContain(value);
    }
  });
});
