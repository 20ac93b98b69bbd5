import type { CloudEvent } from '@samverkan/contracts';
import { PermanentError, TransientError } from '@samverkan/messaging';
import type { DataSource } from 'typeorm';
import { WebhookError, WebhookErrorCode } from '../errors';
import { deliverWebhook, type WebhookSubscriber } from '../delivery/webhook-delivery';
import type { WebhookDeliveryState } from './webhook-delivery-status.entity';

/**
 * Records an attempt in its own transaction: a failed attempt rolls back the consumer kit's inbox
 * transaction, and the console must still see it.
 */
export async function recordAttempt(
  dataSource: DataSource,
  subscriberId: string,
  event: CloudEvent,
  state: WebhookDeliveryState,
  httpStatus: number | undefined,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO webhook_deliveries (subscriber_id, event_id, event_type, state, attempts, last_http_status, last_attempt_at)
     VALUES ($1, $2, $3, $4, 1, $5, now())
     ON CONFLICT (subscriber_id, event_id) DO UPDATE
       SET state = EXCLUDED.state, attempts = webhook_deliveries.attempts + 1,
           last_http_status = EXCLUDED.last_http_status, last_attempt_at = EXCLUDED.last_attempt_at`,
    [subscriberId, event.id, event.type, state, httpStatus ?? null],
  );
}

/**
 * The consumer-kit handler that delivers an audience to a webhook: the delivery is the effect.
 * Retryable failures become TransientError (the kit retries with its backoff, then dead-letters);
 * a refusal becomes PermanentError (dead letter at once).
 */
export function webhookHandler(subscriber: WebhookSubscriber, dataSource: DataSource) {
  return async (event: CloudEvent): Promise<void> => {
    try {
      const { status } = await deliverWebhook(subscriber, event);
      await recordAttempt(dataSource, subscriber.id, event, 'delivered', status);
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      const rejected = error.code === WebhookErrorCode.DELIVERY_REJECTED;
      await recordAttempt(
        dataSource,
        subscriber.id,
        event,
        rejected ? 'dead-lettered' : 'retrying',
        error.status,
      );
      if (rejected) throw new PermanentError(error.message, error.code);
      throw new TransientError(error.message, error.code);
    }
  };
}
