import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { CloudEvent } from '@samverkan/contracts';
import { WebhookError, WebhookErrorCode } from '../errors';
import type { TokenBucket } from '../rate-limit/token-bucket';
import { signatureHeaders } from '../signing/standard-webhooks';
import { validateWebhookUrl } from '../subscribers/webhook-url';
import { toBinaryHttp } from './cloud-event-http';

export interface WebhookSubscriber {
  /** The audience it receives (its consumer group delivers to it). */
  id: string;
  url: string;
  secret: string;
  /** Per-subscriber rate limit. */
  bucket: TokenBucket;
  /**
   * PEM certificates trusted for the receiver's TLS in addition to Node's root store (WEBHOOK_CA_FILE:
   * receivers behind an internal CA). Verification itself is never turned off.
   */
  ca?: readonly string[];
}

export type DeliveryOutcome = 'delivered' | 'retryable' | 'rejected';

/** 2xx delivered; 408, 429, 5xx retryable; every other status a permanent refusal (dead letter). */
export function classifyStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'rejected';
}

// One keep-alive agent per extra-CA bundle; without one the global agent (Node's roots) is used.
const agents = new WeakMap<readonly string[], HttpsAgent>();
function agentFor(ca: readonly string[] | undefined): HttpsAgent | undefined {
  if (!ca?.length) return undefined;
  let agent = agents.get(ca);
  if (!agent) {
    // `ca` replaces the default store, so the roots go in explicitly: extra CAs add trust, never narrow it.
    agent = new HttpsAgent({ keepAlive: true, ca: [...rootCertificates, ...ca] });
    agents.set(ca, agent);
  }
  return agent;
}

/**
 * OpenSSL's certificate verification results, Node's host-name check and TLS handshake failures: the
 * receiver was reached but not trusted for this URL. The code names the rule, never the certificate
 * or the host.
 */
const TLS_VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
]);
export function tlsErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return TLS_VERIFY_CODES.has(code) || /^ERR_(TLS|SSL)_[A-Z0-9_]+$/.test(code) ? code : undefined;
}

/** POSTs the body, resolving with the status once the response head arrives (the body is discarded). */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { signal: AbortSignal; ca?: readonly string[] },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        signal: options.signal,
        // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off.
        ...(url.protocol === 'https:' ? { agent: agentFor(options.ca), rejectUnauthorized: true } : {}),
      },
      (res: IncomingMessage) => {
        res.on('error', () => undefined);
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * One delivery attempt, to be called from a consumer-kit handler: it returns on 2xx, and throws a
 * WebhookError the kit retries with backoff (retryable) or dead-letters (rejected). Redirects are
 * not followed: a 3xx is the receiver's answer (a refusal).
 */
export async function deliverWebhook(
  subscriber: WebhookSubscriber,
  event: CloudEvent,
  options: { timeoutMs?: number; now?: () => Date } = {},
): Promise<{ status: number }> {
  const url = validateWebhookUrl(subscriber.url);
  await subscriber.bucket.take();
  const { headers, body } = toBinaryHttp(event);
  const signed = signatureHeaders(subscriber.secret, event.id, body, options.now?.() ?? new Date());
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  let status: number;
  try {
    status = await post(url, { ...headers, ...signed }, body, { signal, ca: subscriber.ca });
  } catch (error) {
    const timedOut = signal.aborted;
    const tls = timedOut ? undefined : tlsErrorCode(error);
    if (tls) {
      throw new WebhookError(
        WebhookErrorCode.TLS,
        `webhook ${subscriber.id}: the receiver's certificate is not trusted (${tls})`,
      );
    }
    throw new WebhookError(
      timedOut ? WebhookErrorCode.TIMEOUT : WebhookErrorCode.UNREACHABLE,
      timedOut
        ? `webhook ${subscriber.id}: no answer within the timeout`
        : `webhook ${subscriber.id}: not reachable (${errorName(error)})`,
    );
  }
  const outcome = classifyStatus(status);
  if (outcome === 'retryable') {
    throw new WebhookError(
      WebhookErrorCode.DELIVERY_RETRYABLE,
      `webhook ${subscriber.id}: HTTP ${status}`,
      status,
    );
  }
  if (outcome === 'rejected') {
    throw new WebhookError(
      WebhookErrorCode.DELIVERY_REJECTED,
      `webhook ${subscriber.id}: refused with HTTP ${status}`,
      status,
    );
  }
  return { status };
}

/** A system error's code (ECONNREFUSED, ENOTFOUND, ...) or the error's class: never its message. */
function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  return error instanceof Error ? error.name : 'error';
}
