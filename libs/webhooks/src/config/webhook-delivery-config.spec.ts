import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, validateEnv } from '@samverkan/config';
import { createTestPki } from '../../test/test-pki';
import { generateWebhookSecret } from '../signing/standard-webhooks';
import { webhookConsumerSettings, webhookDeliveryFromEnv } from './webhook-delivery-config';
import { WebhookServiceEnv } from './webhook-service.env';

const base = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'clinic',
  KAFKA_PASSWORD: 'x',
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/d',
};

const issuesOf = (fn: () => unknown): Array<{ variable: string; message: string }> => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
};

describe('webhook delivery configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds subscriber, retry policy and console info from the environment, with the secret from a file', () => {
    const secret = generateWebhookSecret();
    const file = join(dir, 'secret');
    writeFileSync(file, `${secret}\n`);
    const env = validateEnv(WebhookServiceEnv, {
      ...base,
      WEBHOOK_URL: 'https://clinic.example.se/hooks/samverkan?token=abc',
      WEBHOOK_SECRET_FILE: file,
      WEBHOOK_RATE_LIMIT_PER_SECOND: '5',
      WEBHOOK_MAX_ATTEMPTS: '4',
    });
    const config = webhookDeliveryFromEnv('youth-clinic', env);
    expect(config.subscriber).toMatchObject({ id: 'youth-clinic', secret });
    expect(config.subscriber.bucket).toMatchObject({ capacity: 10, perSecond: 5 });
    expect(config.retry).toEqual({ attempts: 4, baseMs: 1000, capMs: 60000 });
    // The console sees the receiver's origin only: the path and query may carry the receiver's token.
    expect(config.info).toEqual({
      subscriberId: 'youth-clinic',
      receiver: 'https://clinic.example.se',
      rateLimit: { perSecond: 5, burst: 10 },
      maxAttempts: 4,
    });
    expect(webhookConsumerSettings(config)).toEqual({ retry: config.retry, transactionChunkSize: 1 });
  });

  it('refuses plain http to another host, and limits outside their ranges, naming the variables only', () => {
    const issues = issuesOf(() =>
      validateEnv(WebhookServiceEnv, {
        ...base,
        WEBHOOK_URL: 'http://clinic.example.se/hook',
        WEBHOOK_SECRET: 'whsec_x',
        WEBHOOK_RATE_LIMIT_PER_SECOND: '0',
        WEBHOOK_TIMEOUT_MS: '60000',
      }),
    );
    expect(issues.map((i) => i.variable).sort()).toEqual(
      ['WEBHOOK_RATE_LIMIT_PER_SECOND', 'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_URL'].sort(),
    );
    expect(JSON.stringify(issues)).not.toContain('clinic.example.se');
  });

  it('wants exactly one secret source, readable and long enough, and never prints it', () => {
    const env = (extra: Record<string, string>) =>
      validateEnv(WebhookServiceEnv, { ...base, WEBHOOK_URL: 'http://localhost:8080/hook', ...extra });
    const secret = generateWebhookSecret();
    expect(issuesOf(() => webhookDeliveryFromEnv('c', env({})))[0].variable).toBe('WEBHOOK_SECRET_FILE');
    expect(
      issuesOf(() => webhookDeliveryFromEnv('c', env({ WEBHOOK_SECRET: secret, WEBHOOK_SECRET_FILE: '/x' }))),
    ).toHaveLength(1);
    expect(
      issuesOf(() => webhookDeliveryFromEnv('c', env({ WEBHOOK_SECRET_FILE: join(dir, 'missing') }))),
    ).toEqual([{ variable: 'WEBHOOK_SECRET_FILE', message: 'cannot be read' }]);
    const short = issuesOf(() => webhookDeliveryFromEnv('c', env({ WEBHOOK_SECRET: 'whsec_c2hvcnQ=' })));
    expect(short.map((i) => i.variable)).toEqual(['WEBHOOK_SECRET']);
    expect(JSON.stringify(short)).not.toContain('c2hvcnQ');
  });

  it('reads WEBHOOK_CA_FILE at boot: PEM certificates only, ConfigError naming the variable, never the content', () => {
    const pki = createTestPki();
    try {
      const secret = generateWebhookSecret();
      const config = (file: string) =>
        webhookDeliveryFromEnv(
          'c',
          validateEnv(WebhookServiceEnv, {
            ...base,
            WEBHOOK_URL: 'https://clinic.example.se/hook',
            WEBHOOK_SECRET: secret,
            WEBHOOK_CA_FILE: file,
          }),
        );
      const ca = readFileSync(pki.caFile, 'utf8');
      const bundle = join(dir, 'bundle.pem');
      writeFileSync(bundle, `# internal CAs\n${ca}\n${pki.server.cert}`);
      expect(config(pki.caFile).subscriber.ca).toEqual([ca.trim()]);
      expect(config(bundle).subscriber.ca).toHaveLength(2);
      const withoutCa = validateEnv(WebhookServiceEnv, {
        ...base,
        WEBHOOK_URL: 'https://x.se/',
        WEBHOOK_SECRET: secret,
      });
      expect(webhookDeliveryFromEnv('c', withoutCa).subscriber.ca).toBeUndefined();

      const broken = ca.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
      const cases: Array<[string, string]> = [
        ['missing.pem', 'cannot be read'],
        ['empty.pem', 'must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)'],
        ['key.pem', 'must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)'],
        ['truncated.pem', 'must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)'],
        ['broken.pem', 'holds a PEM block that is not a valid X.509 certificate'],
      ];
      writeFileSync(join(dir, 'empty.pem'), '');
      writeFileSync(join(dir, 'key.pem'), pki.server.key);
      writeFileSync(join(dir, 'truncated.pem'), ca.slice(0, ca.length - 30));
      writeFileSync(join(dir, 'broken.pem'), broken);
      for (const [file, message] of cases) {
        const issues = issuesOf(() => config(join(dir, file)));
        expect(issues).toEqual([{ variable: 'WEBHOOK_CA_FILE', message }]);
        expect(JSON.stringify(issues)).not.toContain('BEGIN PRIVATE');
        expect(JSON.stringify(issues)).not.toContain(ca.split('\n')[1]);
      }
    } finally {
      pki.dispose();
    }
  });
});
