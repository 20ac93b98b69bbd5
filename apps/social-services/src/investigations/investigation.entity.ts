import type { InvestigationOutcome } from '@samverkan/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { InvestigationExtensionReason, InvestigationTrigger } from './investigation-rules';

/** One extension decision (SoL 11:2): a reason code, the new last day and who decided when. */
export interface StoredExtension {
  reason: InvestigationExtensionReason;
  /** The new last day, a local date (YYYY-MM-DD). */
  until: string;
  decidedAt: string;
  decidedByUnit: string;
}

/**
 * A child investigation (barnavårdsutredning), opened by the decision on a concern report or
 * directly (an application, other information), with its four-month deadline. `due_at` is the
 * deadline in force (the statutory one, or the last extension's).
 */
@Entity({ name: 'investigations' })
@Index('investigations_report_key', ['reportId'], { unique: true })
@Index('investigations_opened_at_idx', ['openedAt', 'id'])
@Index('investigations_open_due_idx', ['dueAt'], { where: 'closed_at IS NULL' })
export class Investigation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The concern report whose decision opened it; null when opened directly. */
  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId: string | null;

  @Column({ type: 'text' })
  trigger: InvestigationTrigger;

  /** The child's subject id on the source topic (child_subjects). */
  @Column({ type: 'uuid' })
  subject: string;

  @Column({ name: 'child_personnummer', type: 'text' })
  childPersonnummer: string;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  /** The unit that opened it and conducts it (the investigating unit of the closed event). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /** Four months from the opening, by lag (1930:173). */
  @Column({ name: 'statutory_due_at', type: 'timestamptz' })
  statutoryDueAt: Date;

  /** The deadline in force: the statutory one or the last extension's. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  extensions: StoredExtension[];

  @Column({ type: 'text', nullable: true })
  outcome: InvestigationOutcome | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by_unit', type: 'text', nullable: true })
  closedByUnit: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
