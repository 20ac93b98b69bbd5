import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConcernCategory, ConcernDecisionOutcome, ReporterRole } from '@samverkan/contracts';

export const FEEDBACK_STATUSES = [
  'awaiting',
  'investigation-opened',
  'investigation-not-opened',
  'investigation-already-ongoing',
] as const;
export type FeedbackStatus = 'awaiting' | ConcernDecisionOutcome;

/**
 * A concern report (orosanmälan) as the school filed it, and the one piece of feedback the law lets
 * social services give back: the decision outcome and its date.
 */
@Entity({ name: 'concern_reports' })
@Index('idx_concern_reports_unit_filed', ['schoolUnitCode', 'filedAt'])
export class ConcernReport {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'child_subject', type: 'uuid' })
  childSubject: string;

  @Column({ name: 'child_personnummer', type: 'varchar', length: 12 })
  childPersonnummer: string;

  @Column({ name: 'child_name', type: 'varchar', length: 200 })
  childName: string;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ name: 'school_unit_code', type: 'varchar', length: 8 })
  schoolUnitCode: string;

  @Column({ name: 'reporter_role', type: 'varchar', length: 40 })
  reporterRole: ReporterRole;

  @Column({ name: 'reporter_name', type: 'varchar', length: 200 })
  reporterName: string;

  @Column({ name: 'reporter_email', type: 'varchar', length: 254, nullable: true })
  reporterEmail: string | null;

  @Column({ name: 'reporter_phone', type: 'varchar', length: 32, nullable: true })
  reporterPhone: string | null;

  @Column({ type: 'text', array: true })
  categories: ConcernCategory[];

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'immediate_danger', type: 'boolean' })
  immediateDanger: boolean;

  @Column({ name: 'filed_at', type: 'timestamptz' })
  filedAt: Date;

  /** `sub` of the token that filed it (an opaque caller id), for the audit trail. */
  @Column({ name: 'filed_by', type: 'varchar', length: 255 })
  filedBy: string;

  @Column({ name: 'feedback_status', type: 'varchar', length: 40, default: 'awaiting' })
  feedbackStatus: FeedbackStatus;

  /** When the decision reached education. */
  @Column({ name: 'feedback_received_at', type: 'timestamptz', nullable: true })
  feedbackReceivedAt: Date | null;

  /** When social services decided (from the feedback event). */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'feedback_event_id', type: 'uuid', nullable: true })
  feedbackEventId: string | null;
}
