import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Agency } from '@samverkan/contracts';

export const SHARED_INTERVENTION_KINDS = ['referred', 'started', 'ended'] as const;
export type SharedInterventionKind = (typeof SHARED_INTERVENTION_KINDS)[number];

/**
 * An intervention event another agency shared with education under a consent (the router delivers
 * it only then). One row per event, per child; the child is held by education's own subject id.
 */
@Entity({ name: 'shared_intervention_events' })
@Index('idx_shared_intervention_events_child', ['childSubject', 'occurredAt'])
export class SharedInterventionEvent {
  /** The CloudEvents id. */
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'child_subject', type: 'uuid' })
  childSubject: string;

  @Column({ type: 'varchar', length: 16 })
  kind: SharedInterventionKind;

  /** interventionId (started, ended) or referralId (referred). */
  @Column({ name: 'intervention_id', type: 'uuid' })
  interventionId: string;

  @Column({ name: 'referral_id', type: 'uuid', nullable: true })
  referralId: string | null;

  @Column({ name: 'catalog_code', type: 'varchar', length: 64 })
  catalogCode: string;

  @Column({ type: 'varchar', length: 64 })
  basis: string;

  /** The performing unit (started, ended) or the referring unit (referred). */
  @Column({ name: 'unit_agency', type: 'varchar', length: 32 })
  unitAgency: Agency;

  @Column({ name: 'unit_code', type: 'varchar', length: 64 })
  unitCode: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true })
  endReason: string | null;

  /** `ce_legalbasis` the router delivered it under (consent). */
  @Column({ name: 'legal_basis', type: 'varchar', length: 200, nullable: true })
  legalBasis: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
