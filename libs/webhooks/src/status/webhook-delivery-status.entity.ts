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
}
