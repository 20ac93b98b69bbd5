import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvent, EVENT_EXAMPLES } from '@samverkan/contracts';
import { WebhookErrorCode, type WebhookError } from '../errors';
import { TokenBucket } from '../rate-limit/token-bucket';
import { generateWebhookSecret, verifySignature } from '../signing/standard-webhooks';
import { validateWebhookUrl } from '../subscribers/webhook-url';
import { classifyStatus, deliverWebhook } from './webhook-delivery';

// A real HTTP receiver on 127.0.0.1 that answers with the statuses a test queues.
describe('webhook delivery to a real HTTP receiver', () => {
  let server: Server;
  let url: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let answers: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    received.length = 0;
    answers = [];
  });

  const secret = generateWebhookSecret();
  const event = createEvent('samverkan.course.scheduled.v1', {
    source: '/samverkan/leisure',
    subject: 'c0ffee00-0000-4000-8000-000000000001',
    municipality: '0781',
    legalbasis: 'no-personal-data',
    data: EVENT_EXAMPLES['samverkan.course.scheduled.v1'],
  });
  const subscriber = () => ({ id: 'youth-clinic', url, secret, bucket: new TokenBucket(100, 100) });
  const failureOf = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: WebhookError) => e,
    );

  it('posts the event in CloudEvents binary mode, signed so the receiver can verify it', async () => {
    await expect(deliverWebhook(subscriber(), event)).resolves.toEqual({ status: 204 });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    expect(headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': 'samverkan.course.scheduled.v1',
      'ce-source': '/samverkan/leisure',
      'ce-legalbasis': 'no-personal-data',
      'content-type': 'application/json',
      'webhook-id': event.id,
    });
    expect(JSON.parse(body)).toEqual(event.data);
    expect(verifySignature(secret, headers, body)).toBe(true);
    expect(verifySignature(generateWebhookSecret(), headers, body)).toBe(false);
    expect(verifySignature(secret, headers, body.replace('8', '9'))).toBe(false);
  });

  it('throws retryable on 500s (the kit retries) and succeeds when the receiver recovers', async () => {
    answers = [500, 503];
    const s = subscriber();
    expect((await failureOf(deliverWebhook(s, event)))?.code).toBe(WebhookErrorCode.DELIVERY_RETRYABLE);
    expect((await failureOf(deliverWebhook(s, event)))?.code).toBe(WebhookErrorCode.DELIVERY_RETRYABLE);
    await expect(deliverWebhook(s, event)).resolves.toEqual({ status: 204 });
    expect(received).toHaveLength(3);
  });

  it('treats 400 as permanent (dead letter), 408 and 429 as retryable', async () => {
    answers = [400, 408, 429];
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await failureOf(deliverWebhook(subscriber(), event)))?.code);
    expect(codes).toEqual([
      WebhookErrorCode.DELIVERY_REJECTED,
      WebhookErrorCode.DELIVERY_RETRYABLE,
      WebhookErrorCode.DELIVERY_RETRYABLE,
    ]);
    expect([200, 299, 301, 404, 408, 429, 500].map(classifyStatus)).toEqual([
      'delivered',
      'delivered',
      'rejected',
      'rejected',
      'retryable',
      'retryable',
      'retryable',
    ]);
  });

  it('respects the per-subscriber rate limit: no more requests per window than the bucket allows', async () => {
    let clock = 0;
    const bucket = new TokenBucket(3, 1, () => clock);
    const s = { ...subscriber(), bucket };
    for (let i = 0; i < 3; i += 1) await deliverWebhook(s, event);
    expect(bucket.tryTake()).toBe(false);
    expect(received).toHaveLength(3);
    clock += 2_000; // two more tokens
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('requires https except for localhost', () => {
    expect(validateWebhookUrl('https://clinic.example.se/hook').protocol).toBe('https:');
    expect(validateWebhookUrl('http://localhost:8080/hook').hostname).toBe('localhost');
    for (const bad of ['http://clinic.example.se/hook', 'ftp://x', 'not a url', 'https://u:p@x.se/']) {
      expect(() => validateWebhookUrl(bad)).toThrow(
        expect.objectContaining({ code: WebhookErrorCode.URL_INVALID }),
      );
    }
  });
});
