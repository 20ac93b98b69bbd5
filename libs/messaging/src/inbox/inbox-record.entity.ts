import { Column, Entity, PrimaryColumn } from 'typeorm';

export const INBOX_TABLE = 'messaging_inbox';

/** An event a consumer group has processed; written in the same transaction as the handler's effect. */
@Entity({ name: INBOX_TABLE })
export class InboxRecord {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
