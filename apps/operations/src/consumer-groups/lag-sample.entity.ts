import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Offsets and lags are bigint in the table (a busy partition outgrows int4) and numbers in the app. */
const bigintNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One partition of one consumer group in one sampling round: what the console's lag history and
 * Burrow windows are made of, kept for OPERATIONS_HISTORY_MINUTES so a restart does not start a new
 * window. The group's state, member count and judged status of the round ride along on each row.
 */
@Entity({ name: 'lag_samples' })
@Index('lag_samples_sampled_at_idx', ['sampledAt'])
export class LagSampleRow {
  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId: string;

  @PrimaryColumn({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt: Date;

  @PrimaryColumn({ type: 'text' })
  topic: string;

  @PrimaryColumn({ type: 'integer' })
  partition: number;

  @Column({ name: 'group_state', type: 'text' })
  groupState: string;

  @Column({ name: 'group_members', type: 'integer' })
  groupMembers: number;

  @Column({ name: 'group_status', type: 'text' })
  groupStatus: string;

  @Column({ name: 'committed_offset', type: 'bigint', nullable: true, transformer: bigintNumber })
  committedOffset: number | null;

  @Column({ name: 'end_offset', type: 'bigint', transformer: bigintNumber })
  endOffset: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  lag: number;

  @Column({ name: 'lag_seconds', type: 'double precision' })
  lagSeconds: number;

  @Column({ name: 'member_id', type: 'text', nullable: true })
  memberId: string | null;
}
