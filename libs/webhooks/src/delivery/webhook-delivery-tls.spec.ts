import { createEvent, EVENT_EXAMPLES } from '@samverkan/contracts';
import { validateEnv } from '@samverkan/config';
import { createTestPki, startHttpsReceiver, type TestPki } from '../../test/test-pki';
import { webhookDeliveryFromEnv } from '../config/webhook-delivery-config';
import { WebhookServiceEnv } from '../config/webhook-service.env';
import { WebhookError, WebhookErrorCode } from '../errors';
import { TokenBucket } from '../rate-limit/token-bucket';
import { generateWebhookSecret, verifySignature } from '../signing/standard-webhooks';
import { deliverWebhook, type WebhookSubscriber } from './webhook-delivery';

jest.setTimeout(30_000);

// A real HTTPS receiver on 127.0.0.1 whose certificate a throw-away CA (openssl, at test time) signed.
describe('webhook delivery over HTTPS with a private CA', () => {
  let pki: TestPki;
  let receiver: Awaited<ReturnType<typeof startHttpsReceiver>>;
  const secret = generateWebhookSecret();
  const event = createEvent('samverkan.course.scheduled.v1', {
    source: '/samverkan/leisure',
    subject: 'c0ffee00-0000-4000-8000-000000000003',
    municipality: '0781',
    legalbasis: 'no-personal-data',
    data: EVENT_EXAMPLES['samverkan.course.scheduled.v1'],
  });

  beforeAll(async () => {
    pki = createTestPki();
    receiver = await startHttpsReceiver(pki.server);
  });
  afterAll(async () => {
    await receiver?.close();
    pki?.dispose();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  /** The subscriber as a generated app builds it: from the validated environment. */
  const fromEnv = (url: string, extra: Record<string, string> = {}): WebhookSubscriber =>
    webhookDeliveryFromEnv(
      'youth-clinic',
      validateEnv(WebhookServiceEnv, {
        KAFKA_BROKERS: '127.0.0.1:19092',
        KAFKA_USERNAME: 'clinic',
        KAFKA_PASSWORD: 'x',
        DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/d',
        WEBHOOK_URL: url,
        WEBHOOK_SECRET: secret,
        ...extra,
      }),
    ).subscriber;
  const failureOf = (p: Promise<unknown>): Promise<WebhookError> =>
    p.then(
      () => {
        throw new Error('the delivery succeeded');
      },
      (e: unknown) => {
        if (!(e instanceof WebhookError)) throw e;
        return e;
      },
    );
  /** Nothing of the event's content, the URL or the secret in what the console and logs see. */
  const expectNoContent = (error: WebhookError) => {
    const seen = JSON.stringify({ message: error.message, code: error.statusCode, stack: error.stack });
    for (const value of [
      event.subject,
      JSON.stringify(event.data).slice(1, 20),
      ...Object.values(event.data)
        .map(String)
        .filter((v) => v.length >= 6),
      receiver.url(),
      '127.0.0.1',
      secret,
    ]) {
      expect(seen).not.toContain(value);
    }
  };

  it('delivers when WEBHOOK_CA_FILE names the CA: same CloudEvents headers and signature as over http', async () => {
    const subscriber = fromEnv(receiver.url(), { WEBHOOK_CA_FILE: pki.caFile });
    expect(subscriber.ca).toHaveLength(1);
    await expect(deliverWebhook(subscriber, event)).resolves.toEqual({ status: 204 });
    await expect(deliverWebhook(subscriber, event)).resolves.toEqual({ status: 204 });
    expect(receiver.received).toHaveLength(2);
    const { headers, body } = receiver.received[0];
    expect(headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': 'samverkan.course.scheduled.v1',
      'content-type': 'application/json',
      'webhook-id': event.id,
    });
    expect(JSON.parse(body)).toEqual(event.data);
    expect(verifySignature(secret, headers, body)).toBe(true);
  });

  it('refuses the receiver without the CA: WEBHOOK_TLS, retryable, nothing sent, no content in the error', async () => {
    const error = await failureOf(deliverWebhook(fromEnv(receiver.url()), event));
    expect(error.code).toBe(WebhookErrorCode.TLS);
    expect(error.statusCode).toBe('WEBHOOK_TLS');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "webhook youth-clinic: the receiver's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
    expectNoContent(error);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a certificate from the trusted CA that is issued for another host name', async () => {
    const elsewhere = await startHttpsReceiver(pki.wrongHost);
    try {
      const subscriber = fromEnv(elsewhere.url(), { WEBHOOK_CA_FILE: pki.caFile });
      const error = await failureOf(deliverWebhook(subscriber, event));
      expect(error.code).toBe(WebhookErrorCode.TLS);
      expect(error.message).toContain('(ERR_TLS_CERT_ALTNAME_INVALID)');
      expect(error.message).not.toContain('elsewhere.invalid');
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('still tells a refused connection (WEBHOOK_UNREACHABLE) from an untrusted one', async () => {
    const closed = await startHttpsReceiver(pki.server);
    const url = closed.url();
    await closed.close();
    const subscriber = { ...fromEnv(url, { WEBHOOK_CA_FILE: pki.caFile }), bucket: new TokenBucket(1, 1) };
    const error = await failureOf(deliverWebhook(subscriber, event));
    expect(error.code).toBe(WebhookErrorCode.UNREACHABLE);
    expect(error.message).toBe('webhook youth-clinic: not reachable (ECONNREFUSED)');
  });

  it('keeps the per-request timeout over HTTPS: a receiver that never answers is WEBHOOK_TIMEOUT', async () => {
    const silent = await startHttpsReceiver(pki.server, () => 'never');
    try {
      const subscriber = fromEnv(silent.url(), { WEBHOOK_CA_FILE: pki.caFile });
      const error = await failureOf(deliverWebhook(subscriber, event, { timeoutMs: 300 }));
      expect(error.code).toBe(WebhookErrorCode.TIMEOUT);
      expect(error.retryable).toBe(true);
      expect(silent.received).toHaveLength(1);
    } finally {
      await silent.close();
    }
  });
});
