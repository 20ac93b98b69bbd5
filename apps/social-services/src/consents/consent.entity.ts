import type { Agency, ConsentGiver, ConsentPurpose, InformationKind } from '@samverkan/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A guardian's consent recorded by social services (samtycke, OSL 12:2). */
@Entity({ name: 'consents' })
@Index('consents_child_idx', ['childPersonnummer'])
export class Consent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  subject: string;

  @Column({ name: 'child_personnummer', type: 'text' })
  childPersonnummer: string;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ type: 'text', array: true })
  parties: Agency[];

  @Column({ name: 'information_kinds', type: 'text', array: true })
  informationKinds: InformationKind[];

  @Column({ type: 'text' })
  purpose: ConsentPurpose;

  @Column({ name: 'purpose_description', type: 'text', nullable: true })
  purposeDescription: string | null;

  /** Inclusive local dates, YYYY-MM-DD. */
  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  @Column({ name: 'granted_by', type: 'text' })
  grantedBy: ConsentGiver;

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;

  @Column({ name: 'recorded_by_unit', type: 'text' })
  recordedByUnit: string;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_by_unit', type: 'text', nullable: true })
  withdrawnByUnit: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
