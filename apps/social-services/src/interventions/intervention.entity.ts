import type { InterventionBasis, InterventionEndReason, OrganisationUnit } from '@samverkan/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const INTERVENTION_STAGES = ['referred', 'started', 'ended'] as const;
export type InterventionStage = (typeof INTERVENTION_STAGES)[number];

/**
 * A referral or an intervention social services gives. Without a personnummer (a service without a
 * needs assessment may be used anonymously) it is kept for the unit's own follow-up only: the v1
 * intervention events require the child's identity, so nothing is published for it.
 */
@Entity({ name: 'interventions' })
@Index('interventions_child_idx', ['childPersonnummer'])
export class Intervention {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  stage: InterventionStage;

  @Column({ name: 'catalog_code', type: 'text' })
  catalogCode: string;

  @Column({ type: 'text' })
  basis: InterventionBasis;

  /** The subject id on the source topic; the intervention's own id for an anonymous participant. */
  @Column({ type: 'uuid' })
  subject: string;

  @Column({ name: 'child_personnummer', type: 'text', nullable: true })
  childPersonnummer: string | null;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  /** The referring unit (referral) or the performing unit (started). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ name: 'receiving_unit', type: 'jsonb', nullable: true })
  receivingUnit: OrganisationUnit | null;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId: string | null;

  @Column({ name: 'referral_id', type: 'uuid', nullable: true })
  referralId: string | null;

  @Column({ name: 'school_year', type: 'smallint', nullable: true })
  schoolYear: number | null;

  @Column({ name: 'referred_at', type: 'timestamptz', nullable: true })
  referredAt: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: InterventionEndReason | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
