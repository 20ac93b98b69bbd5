import type { EnrolmentChannel, ParticipantRole, WithdrawalReason } from '@samverkan/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const ENROLLMENT_STATUSES = [
  'enrolled',
  'waitlisted',
  'withdrawn',
  'completed',
  'not-completed',
] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** Statuses that hold a place or a waitlist position: a person can have only one per course. */
export const ACTIVE_STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'waitlisted'];

export interface ContactRecord {
  email?: string;
  phone?: string;
}

/**
 * One person's place (or waitlist position) on a course. A participant without a personnummer
 * (allowed on courses given as a service without a needs assessment) is known by an alias and,
 * at their choice, a contact; `participantKey` is a hash that detects a duplicate without
 * indexing the personal data itself.
 */
@Entity({ name: 'enrollments' })
@Index('enrollments_course_status_idx', ['courseId', 'status'])
@Index('enrollments_active_participant_key', ['courseId', 'participantKey'], {
  unique: true,
  where: `status IN ('enrolled', 'waitlisted')`,
})
@Index('enrollments_active_referral_key', ['referralId'], {
  unique: true,
  where: `referral_id IS NOT NULL AND status IN ('enrolled', 'waitlisted')`,
})
export class Enrollment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ type: 'text' })
  status: EnrollmentStatus;

  @Column({ type: 'text' })
  channel: EnrolmentChannel;

  @Column({ name: 'referral_id', type: 'uuid', nullable: true })
  referralId: string | null;

  @Column({ name: 'participant_role', type: 'text' })
  participantRole: ParticipantRole;

  @Column({ name: 'participant_personnummer', type: 'text', nullable: true })
  participantPersonnummer: string | null;

  @Column({ name: 'participant_alias', type: 'text', nullable: true })
  participantAlias: string | null;

  @Column({ name: 'participant_contact', type: 'jsonb', nullable: true })
  participantContact: ContactRecord | null;

  @Column({ name: 'participant_key', type: 'text' })
  participantKey: string;

  @Column({ name: 'child_personnummer', type: 'text', nullable: true })
  childPersonnummer: string | null;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  /** The subject (Kafka key) of this participant's events: opaque per person, or the enrollment id. */
  @Column({ type: 'uuid' })
  subject: string;

  /** Held a place at some point (counts as enrolled in the course summary). */
  @Column({ name: 'held_place', type: 'boolean', default: false })
  heldPlace: boolean;

  @Column({ name: 'from_waitlist', type: 'boolean', default: false })
  fromWaitlist: boolean;

  @Column({ type: 'boolean', default: false })
  late: boolean;

  /** Order on the waitlist (lower first); kept after promotion for the record. */
  @Column({ name: 'waitlist_seq', type: 'integer', nullable: true })
  waitlistSeq: number | null;

  /** The caller that registered it (token subject), e.g. the e-service client. */
  @Column({ name: 'registered_by', type: 'text' })
  registeredBy: string;

  @Column({ name: 'enrolled_at', type: 'timestamptz', nullable: true })
  enrolledAt: Date | null;

  @Column({ name: 'waitlisted_at', type: 'timestamptz', nullable: true })
  waitlistedAt: Date | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'text', nullable: true })
  withdrawalReason: WithdrawalReason | null;

  @Column({ name: 'sessions_attended', type: 'integer', nullable: true })
  sessionsAttended: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
