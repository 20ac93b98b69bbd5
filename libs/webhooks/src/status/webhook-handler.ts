import type { CloudEvent } from '@samverkan/contracts';
import { PermanentError, TransientError, type RetryPolicy } from '@samverkan/messaging';
import type { DataSource } from 'typeorm';
import { WebhookError } from '../errors';
import { deliverWebhook, type WebhookSubscriber } from '../delivery/webhook-delivery';
import type { WebhookDeliveryState } from './webhook-delivery-status.entity';

export interface DeliveryAttempt {
  state: WebhookDeliveryState;
  httpStatus?: number;
  /** Set on a failed attempt: `HTTP_<status>` or a WebhookErrorCode. */
  errorCode?: string;
  /** Set while retrying: the longest the kit's backoff will wait. */
  backoffCeilingMs?: number;
}

/**
 * Records an attempt in its own transaction: a failed attempt rolls back the consumer kit's inbox
 * transaction, and the console must still see it.
 */
export async function recordAttempt(
  dataSource: DataSource,
  subscriberId: string,
  event: CloudEvent,
  attempt: DeliveryAttempt,
): Promise<void> {
  const failed = attempt.errorCode !== undefined;
  await dataSource.query(
    `INSERT INTO webhook_deliveries (subscriber_id, event_id, event_type, state, attempts, last_http_status,
                                     last_attempt_at, last_error_code, last_failure_at, next_attempt_by)
     VALUES ($1, $2, $3, $4, 1, $5, now(), $6, CASE WHEN $7 THEN now() END,
             now() + make_interval(secs => $8::double precision / 1000))
     ON CONFLICT (subscriber_id, event_id) DO UPDATE
       SET state = EXCLUDED.state, attempts = webhook_deliveries.attempts + 1,
           last_http_status = EXCLUDED.last_http_status, last_attempt_at = EXCLUDED.last_attempt_at,
           last_error_code = COALESCE(EXCLUDED.last_error_code, webhook_deliveries.last_error_code),
           last_failure_at = COALESCE(EXCLUDED.last_failure_at, webhook_deliveries.last_failure_at),
           next_attempt_by = EXCLUDED.next_attempt_by`,
    [
      subscriberId,
      event.id,
      event.type,
      attempt.state,
      attempt.httpStatus ?? null,
      attempt.errorCode ?? null,
      failed,
      attempt.backoffCeilingMs ?? null,
    ],
  );
}

/** The ceiling of the kit's full-jitter backoff after `attempt` failed (backoffDelayMs draws below it). */
export function backoffCeilingMs(attempt: number, retry: RetryPolicy): number {
  return Math.min(retry.capMs, retry.baseMs * 2 ** Math.min(attempt - 1, 30));
}

export interface WebhookHandlerOptions {
  /**
   * The retry policy the consumer kit runs this group with (the same object): the handler knows from
   * it which attempt is the last, so the status says `dead-lettered` when the kit gives up.
   */
  retry: RetryPolicy;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/**
 * The consumer-kit handler that delivers an audience to a webhook: the delivery is the effect.
 * Retryable failures become TransientError (the kit retries with its backoff, then dead-letters);
 * a refusal becomes PermanentError (dead letter at once).
 */
export function webhookHandler(
  subscriber: WebhookSubscriber,
  dataSource: DataSource,
  options: WebhookHandlerOptions,
) {
  return async (event: CloudEvent, context: { attempt: number }): Promise<void> => {
    try {
      const { status } = await deliverWebhook(subscriber, event, { timeoutMs: options.timeoutMs });
      await recordAttempt(dataSource, subscriber.id, event, { state: 'delivered', httpStatus: status });
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      const last = !error.retryable || context.attempt >= options.retry.attempts;
      await recordAttempt(dataSource, subscriber.id, event, {
        state: last ? 'dead-lettered' : 'retrying',
        httpStatus: error.status,
        errorCode: error.statusCode,
        backoffCeilingMs: last ? undefined : backoffCeilingMs(context.attempt, options.retry),
      });
      if (!error.retryable) throw new PermanentError(error.message, error.code);
      // On the last attempt too: the kit then dead-letters it as retries-exhausted.
      throw new TransientError(error.message, error.code);
    }
  };
}
