import type { Decision } from '@samverkan/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const DISCLOSURE_TABLE = 'router_disclosure_log';

/**
 * One routing decision for one event and one audience: a delivery (full, minimized, pseudonymized)
 * or a withholding with its reason. Unique on (event id, audience), so a batch the router replays
 * after a crash or an aborted Kafka transaction writes nothing twice; the stored decision is then
 * the one the replay delivers (see RoutingService).
 *
 * Holds no personal data: the child is the router's internal pseudonym, the decision names fields
 * and keys, never values.
 */
@Entity({ name: DISCLOSURE_TABLE })
@Unique('router_disclosure_log_event_audience_key', ['eventId', 'audience'])
@Index('router_disclosure_log_child_idx', ['childPseudonym'])
export class DisclosureRecord {
  @PrimaryGeneratedColumn({ name: 'id', type: 'bigint' })
  id: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  /** The producing agency (from the source topic). */
  @Column({ name: 'producer', type: 'text' })
  producer: string;

  @Column({ name: 'audience', type: 'text' })
  audience: string;

  /** full | minimized | pseudonymized | withheld */
  @Column({ name: 'outcome', type: 'text' })
  outcome: string;

  /** True for full and minimized deliveries of data about an identified child. */
  @Column({ name: 'identity_linked', type: 'boolean' })
  identityLinked: boolean;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis: string | null;

  @Column({ name: 'consent_id', type: 'text', nullable: true })
  consentId: string | null;

  @Column({ name: 'withhold_reason', type: 'text', nullable: true })
  withholdReason: string | null;

  /** The router's internal pseudonym of the child's personnummer; null for events about no identified child. */
  @Column({ name: 'child_pseudonym', type: 'text', nullable: true })
  childPseudonym: string | null;

  /** The decision as decide() made it, replayed verbatim if the event is routed again. */
  @Column({ name: 'decision', type: 'jsonb' })
  decision: Decision;

  @Column({ name: 'source_topic', type: 'text' })
  sourceTopic: string;

  @Column({ name: 'source_partition', type: 'integer' })
  sourcePartition: number;

  @Column({ name: 'source_offset', type: 'bigint' })
  sourceOffset: string;

  /** `ce_time` of the event. */
  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime: Date;

  @Column({ name: 'routed_at', type: 'timestamptz', default: () => 'now()' })
  routedAt: Date;
}
