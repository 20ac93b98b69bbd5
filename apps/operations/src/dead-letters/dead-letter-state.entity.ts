import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeadLetterResolution = 'replayed' | 'discarded';

/**
 * What operators did with a dead letter. The letter itself stays in Kafka (`samverkan.dlq.<group>`);
 * this row is keyed by its position there (and checked against the letter's timestamp) and hides
 * discarded letters from the list.
 */
@Entity({ name: 'dead_letter_states' })
export class DeadLetterState {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup: string;

  @PrimaryColumn({ name: 'dlq_partition', type: 'integer' })
  dlqPartition: number;

  /** bigint: TypeORM hands it over as a string. */
  @PrimaryColumn({ name: 'dlq_offset', type: 'bigint' })
  dlqOffset: string;

  @Column({ name: 'event_id', type: 'text', nullable: true })
  eventId: string | null;

  /**
   * The letter's Kafka timestamp: with the position it identifies the letter, so a row left by an
   * earlier incarnation of the topic (recreated, or a new cluster) never applies to a new letter.
   * Null on rows written before it was recorded; those match on event id.
   */
  @Column({ name: 'letter_timestamp', type: 'timestamptz', nullable: true })
  letterTimestamp: Date | null;

  @Column({ type: 'text' })
  state: DeadLetterResolution;

  @Column({ name: 'replay_count', type: 'integer', default: 0 })
  replayCount: number;

  @Column({ name: 'last_replayed_at', type: 'timestamptz', nullable: true })
  lastReplayedAt: Date | null;

  @Column({ name: 'discarded_at', type: 'timestamptz', nullable: true })
  discardedAt: Date | null;

  @Column({ name: 'discard_reason', type: 'text', nullable: true })
  discardReason: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
