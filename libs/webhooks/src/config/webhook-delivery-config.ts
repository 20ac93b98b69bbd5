import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type EnvIssue } from '@samverkan/config';
import type { ConsumerSettings, RetryPolicy } from '@samverkan/messaging';
import type { WebhookSubscriber } from '../delivery/webhook-delivery';
import { TokenBucket } from '../rate-limit/token-bucket';
import { assertWebhookSecret } from '../signing/standard-webhooks';
import type { WebhookSubscriberInfo } from '../status/webhook-status.controller';
import { validateWebhookUrl } from '../subscribers/webhook-url';
import type { WebhookServiceEnv } from './webhook-service.env';

/** Everything the delivery needs, built once from the validated environment. */
export interface WebhookDeliveryConfig {
  subscriber: WebhookSubscriber;
  /** Used by the consumer kit (webhookConsumerSettings) and by the handler, so both agree on the last attempt. */
  retry: RetryPolicy;
  timeoutMs: number;
  info: WebhookSubscriberInfo;
}

function readSecret(env: WebhookServiceEnv): string {
  const issue = (variable: string, message: string): never => {
    throw new ConfigError([{ variable, message } satisfies EnvIssue]);
  };
  const { WEBHOOK_SECRET_FILE: file, WEBHOOK_SECRET: inline } = env;
  if ((file === undefined) === (inline === undefined)) {
    issue('WEBHOOK_SECRET_FILE', 'set exactly one of WEBHOOK_SECRET_FILE and WEBHOOK_SECRET');
  }
  let secret = inline ?? '';
  if (file !== undefined) {
    try {
      secret = readFileSync(file, 'utf8').trim();
    } catch {
      issue('WEBHOOK_SECRET_FILE', 'cannot be read');
    }
  }
  try {
    assertWebhookSecret(secret);
  } catch {
    issue(
      file !== undefined ? 'WEBHOOK_SECRET_FILE' : 'WEBHOOK_SECRET',
      'must hold a secret of at least 24 bytes (whsec_ + base64)',
    );
  }
  return secret;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/**
 * The extra CAs of WEBHOOK_CA_FILE, one PEM string per certificate. Every block must parse as X.509
 * and there must be at least one; the issue names the variable, never the file's content.
 */
export function readCaFile(file: string): string[] {
  const issue = (message: string): never => {
    throw new ConfigError([{ variable: 'WEBHOOK_CA_FILE', message } satisfies EnvIssue]);
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    issue('cannot be read');
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  const begins = text.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  if (blocks.length === 0 || blocks.length !== begins) {
    issue('must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)');
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      issue('holds a PEM block that is not a valid X.509 certificate');
    }
  }
  return blocks;
}

/** The subscriber is the audience: its id is the consumer's name. */
export function webhookDeliveryFromEnv(subscriberId: string, env: WebhookServiceEnv): WebhookDeliveryConfig {
  const rateLimit = { perSecond: env.WEBHOOK_RATE_LIMIT_PER_SECOND, burst: env.WEBHOOK_RATE_LIMIT_BURST };
  return {
    subscriber: {
      id: subscriberId,
      url: env.WEBHOOK_URL,
      secret: readSecret(env),
      bucket: new TokenBucket(rateLimit.burst, rateLimit.perSecond),
      ...(env.WEBHOOK_CA_FILE !== undefined ? { ca: readCaFile(env.WEBHOOK_CA_FILE) } : {}),
    },
    retry: {
      attempts: env.WEBHOOK_MAX_ATTEMPTS,
      baseMs: env.WEBHOOK_RETRY_BASE_MS,
      capMs: env.WEBHOOK_RETRY_CAP_MS,
    },
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    info: {
      subscriberId,
      receiver: validateWebhookUrl(env.WEBHOOK_URL).origin,
      rateLimit,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
    },
  };
}

/**
 * The consumer kit's settings for a webhook audience: the delivery's retry policy, and one message
 * per transaction, so a failure never rolls back (and re-sends) deliveries that already succeeded.
 */
export function webhookConsumerSettings(config: WebhookDeliveryConfig): Partial<ConsumerSettings> {
  return { retry: config.retry, transactionChunkSize: 1 };
}
