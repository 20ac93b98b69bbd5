import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebhookError, WebhookErrorCode } from '../errors';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): headers `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
 * `${id}.${timestamp}.${body}` with the subscriber's secret (`whsec_` + base64 key bytes).
 */
export const SIGNATURE_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
const PREFIX = 'whsec_';
/** Receivers should refuse a timestamp further off than this (replay protection). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function generateWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  if (key.length < 24) {
    throw new WebhookError(WebhookErrorCode.SECRET_INVALID, 'a webhook secret needs at least 24 key bytes');
  }
  return key;
}

/** Throws WebhookError SECRET_INVALID unless the secret has enough key bytes (the message names no value). */
export function assertWebhookSecret(secret: string): void {
  keyOf(secret);
}

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export function signatureHeaders(
  secret: string,
  id: string,
  body: string,
  now = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [SIGNATURE_HEADERS.id]: id,
    [SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [SIGNATURE_HEADERS.signature]: sign(secret, id, timestamp, body),
  };
}

/** What a receiver does: any `v1,` signature in the (space-separated) header matches, and the time is near. */
export function verifySignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one(SIGNATURE_HEADERS.id);
  const timestamp = Number(one(SIGNATURE_HEADERS.timestamp));
  const given = one(SIGNATURE_HEADERS.signature);
  if (!id || !Number.isInteger(timestamp) || !given) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, id, timestamp, body));
  return given.split(' ').some((candidate) => {
    const c = Buffer.from(candidate);
    return c.length === expected.length && timingSafeEqual(c, expected);
  });
}
