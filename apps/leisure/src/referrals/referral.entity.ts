import type { ContactDetails, InterventionBasis, OrganisationUnit } from '@samverkan/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A referral to a course programme, as the router delivered it under consent
 * (intervention.referred on samverkan.audience.leisure). Enrolment by referral id reads it.
 */
@Entity({ name: 'referrals' })
export class Referral {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'catalog_code', type: 'text' })
  catalogCode: string;

  @Column({ type: 'text' })
  basis: InterventionBasis;

  @Column({ name: 'child_personnummer', type: 'text' })
  childPersonnummer: string;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ name: 'referring_unit', type: 'jsonb' })
  referringUnit: OrganisationUnit;

  @Column({ name: 'receiving_unit', type: 'jsonb', nullable: true })
  receivingUnit: OrganisationUnit | null;

  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  contact: ContactDetails | null;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis: string | null;

  @Column({ name: 'referred_at', type: 'timestamptz' })
  referredAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
