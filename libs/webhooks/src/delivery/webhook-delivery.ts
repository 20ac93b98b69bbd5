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
}

export type DeliveryOutcome = 'delivered' | 'retryable' | 'rejected';

/** 2xx delivered; 408, 429, 5xx retryable; every other status a permanent refusal (dead letter). */
export function classifyStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'rejected';
}

/**
 * One delivery attempt, to be called from a consumer-kit handler: it returns on 2xx, and throws a
 * WebhookError the kit retries with backoff (retryable) or dead-letters (rejected).
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
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, ...signed },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    status = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new WebhookError(
      timedOut ? WebhookErrorCode.TIMEOUT : WebhookErrorCode.UNREACHABLE,
      timedOut
        ? `webhook ${subscriber.id}: no answer within the timeout`
        : `webhook ${subscriber.id}: not reachable (${error instanceof Error ? error.name : 'error'})`,
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
