import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const CONSENT_TABLE = 'router_consent';

/**
 * A consent as the router knows it, from consent.granted / consent.withdrawn on the source topics.
 * The child is held by the router's internal pseudonym, never by personnummer: the router looks
 * consents up for the child of the event in hand, whose personnummer it has in memory.
 *
 * A withdrawal may be routed before its grant (a consent granted at school and withdrawn at social
 * services travels on two topics): the row is then created by the withdrawal with no grant yet, and
 * the later grant fills in the terms but cannot lift the withdrawal.
 */
@Entity({ name: CONSENT_TABLE })
@Index('router_consent_child_idx', ['childPseudonym'])
export class ConsentState {
  @PrimaryColumn({ name: 'consent_id', type: 'uuid' })
  consentId: string;

  @Column({ name: 'child_pseudonym', type: 'text' })
  childPseudonym: string;

  @Column({ name: 'parties', type: 'text', array: true, default: () => "'{}'" })
  parties: string[];

  @Column({ name: 'information_kinds', type: 'text', array: true, default: () => "'{}'" })
  informationKinds: string[];

  /** Null until the grant has been routed. */
  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  /** The agency whose source topic carried the grant. */
  @Column({ name: 'granted_via', type: 'text', nullable: true })
  grantedVia: string | null;

  @Column({ name: 'granted_event_id', type: 'text', nullable: true })
  grantedEventId: string | null;

  /** When the router applied the withdrawal: every event routed after this instant sees it. */
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_event_id', type: 'text', nullable: true })
  withdrawnEventId: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
