import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Agency, ConsentGiver, ConsentPurpose, InformationKind } from '@samverkan/contracts';

/** A guardian's consent (samtycke, OSL 12:2) as recorded by an education unit. */
@Entity({ name: 'consents' })
@Index('idx_consents_child_subject', ['childSubject'])
export class Consent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'child_subject', type: 'uuid' })
  childSubject: string;

  @Column({ name: 'child_personnummer', type: 'varchar', length: 12 })
  childPersonnummer: string;

  @Column({ name: 'child_name', type: 'varchar', length: 200, nullable: true })
  childName: string | null;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ type: 'text', array: true })
  parties: Agency[];

  @Column({ name: 'information_kinds', type: 'text', array: true })
  informationKinds: InformationKind[];

  @Column({ type: 'varchar', length: 40 })
  purpose: ConsentPurpose;

  @Column({ name: 'purpose_description', type: 'text', nullable: true })
  purposeDescription: string | null;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  @Column({ name: 'granted_by', type: 'varchar', length: 40 })
  grantedBy: ConsentGiver;

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;

  /** The education unit that recorded it (and may withdraw it). */
  @Column({ name: 'recorded_by_unit', type: 'varchar', length: 64 })
  recordedByUnit: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 255 })
  recordedBy: string;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_by', type: 'varchar', length: 255, nullable: true })
  withdrawnBy: string | null;
}
