import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One operator action: who (token subject and org unit), what, when, why, on which targets. */
@Entity({ name: 'audit_log' })
@Index('audit_log_at_idx', ['at'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'org_unit', type: 'text' })
  orgUnit: string;

  @Column({ type: 'text' })
  agency: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'consumer_group', type: 'text', nullable: true })
  consumerGroup: string | null;

  @Column({ name: 'target_ids', type: 'jsonb' })
  targetIds: string[];

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;
}
