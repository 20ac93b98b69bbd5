import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_TABLE = 'messaging_outbox';
/** LISTEN/NOTIFY channel the relay wakes up on. */
export const OUTBOX_CHANNEL = 'messaging_outbox';

/** One event waiting for (or done with) publication; written in the business transaction. */
@Entity({ name: OUTBOX_TABLE })
@Index('messaging_outbox_pending_shard_idx', ['shard', 'position'], { where: 'published_at IS NULL' })
@Index('messaging_outbox_published_idx', ['publishedAt'], { where: 'published_at IS NOT NULL' })
export class OutboxMessage {
  /** Publication order; bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  position: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey: string;

  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'smallint' })
  shard: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
