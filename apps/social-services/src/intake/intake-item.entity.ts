import type {
  ConcernCategory,
  ConcernDecisionOutcome,
  ContactDetails,
  ProtectionAssessmentOutcome,
  ReporterRole,
} from '@samverkan/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface StoredReporter {
  role: ReporterRole;
  name: string;
  contact: ContactDetails;
}

/**
 * One concern report in the intake register, with its deadlines and, once made, the protection
 * assessment and the decision. The report id is the primary key: a report delivered again under
 * another event id still lands once.
 */
@Entity({ name: 'intake_items' })
@Index('intake_items_received_at_idx', ['receivedAt', 'reportId'])
@Index('intake_items_assessment_pending_idx', ['protectionAssessmentDue'], { where: 'assessed_at IS NULL' })
@Index('intake_items_decision_pending_idx', ['decisionDue'], { where: 'decided_at IS NULL' })
export class IntakeItem {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId: string;

  /** The event that brought the report (ce_id), for tracing. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'uuid' })
  subject: string;

  @Column({ name: 'child_personnummer', type: 'text' })
  childPersonnummer: string;

  @Column({ name: 'child_name', type: 'text' })
  childName: string;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ name: 'reporting_school_unit_code', type: 'text' })
  reportingSchoolUnitCode: string;

  @Column({ name: 'reporting_municipality', type: 'text' })
  reportingMunicipality: string;

  @Column({ type: 'jsonb' })
  reporter: StoredReporter;

  @Column({ type: 'text', array: true })
  categories: ConcernCategory[];

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'immediate_danger', type: 'boolean' })
  immediateDanger: boolean;

  /** A violence category was reported: an investigation is opened directly, without a förhandsbedömning. */
  @Column({ name: 'violence_suspected', type: 'boolean' })
  violenceSuspected: boolean;

  @Column({ name: 'filed_at', type: 'timestamptz' })
  filedAt: Date;

  /** When social services received the report; the deadlines count from it. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'received_outside_office_hours', type: 'boolean' })
  receivedOutsideOfficeHours: boolean;

  /** When this service registered it (consumed the event). */
  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt: Date;

  @Column({ name: 'protection_assessment_due', type: 'timestamptz' })
  protectionAssessmentDue: Date;

  @Column({ name: 'decision_due', type: 'timestamptz' })
  decisionDue: Date;

  @Column({ name: 'assessment_outcome', type: 'text', nullable: true })
  assessmentOutcome: ProtectionAssessmentOutcome | null;

  @Column({ name: 'assessed_at', type: 'timestamptz', nullable: true })
  assessedAt: Date | null;

  @Column({ name: 'assessment_note', type: 'text', nullable: true })
  assessmentNote: string | null;

  @Column({ name: 'assessed_by_unit', type: 'text', nullable: true })
  assessedByUnit: string | null;

  @Column({ type: 'text', nullable: true })
  decision: ConcernDecisionOutcome | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by_unit', type: 'text', nullable: true })
  decidedByUnit: string | null;
}
