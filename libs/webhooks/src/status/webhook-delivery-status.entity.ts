import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WEBHOOK_DELIVERY_STATES = ['delivered', 'retrying', 'dead-lettered'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** The latest state of each event's delivery to each subscriber, for the operations console. */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDeliveryStatus {
  @PrimaryColumn({ name: 'subscriber_id', type: 'text', primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  subscriberId: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid', primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ type: 'text' })
  state: WebhookDeliveryState;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_http_status', type: 'integer', nullable: true })
  lastHttpStatus: number | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz' })
  lastAttemptAt: Date;

  /** `HTTP_<status>` or a WebhookErrorCode of the latest failed attempt; never payload or URL. */
  @Column({ name: 'last_error_code', type: 'text', nullable: true })
  lastErrorCode: string | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  /** While retrying: the latest the consumer kit's backoff will wait before the next attempt. */
  @Column({ name: 'next_attempt_by', type: 'timestamptz', nullable: true })
  nextAttemptBy: Date | null;
}
