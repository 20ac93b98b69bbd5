import { Injectable } from '@nestjs/common';
import type { Audience, CloudEvent, Decision, ProducerService } from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';
import { DISCLOSURE_TABLE } from './disclosure-record.entity';

export interface DisclosureSource {
  event: CloudEvent;
  producer: ProducerService;
  /** The router's internal pseudonym of the child, when the event identifies one. */
  child?: string;
  topic: string;
  partition: number;
  offset: string;
}

const COLUMNS = [
  'event_id',
  'event_type',
  'producer',
  'audience',
  'outcome',
  'identity_linked',
  'legal_basis',
  'consent_id',
  'withhold_reason',
  'child_pseudonym',
  'decision',
  'source_topic',
  'source_partition',
  'source_offset',
  'event_time',
] as const;

/** The disclosure log's writes, inside the routing transaction of the event (see RoutingService). */
@Injectable()
export class DisclosureLog {
  /** Decisions already on record for an event: present only when the event is being routed again. */
  async recordedDecisions(manager: EntityManager, eventId: string): Promise<Map<Audience, Decision>> {
    const rows: Array<{ audience: Audience; decision: Decision }> = await manager.query(
      `SELECT audience, decision FROM ${DISCLOSURE_TABLE} WHERE event_id = $1`,
      [eventId],
    );
    return new Map(rows.map((row) => [row.audience, row.decision]));
  }

  /**
   * Records decisions, one row per (event, audience); a row already there is left as it is (ON
   * CONFLICT DO NOTHING). Returns the audiences whose row this call did NOT write: another router
   * got there first, and the caller must deliver that row's decision instead of its own.
   */
  async record(
    manager: EntityManager,
    source: DisclosureSource,
    decisions: readonly Decision[],
  ): Promise<Audience[]> {
    if (decisions.length === 0) return [];
    const { event } = source;
    const params: unknown[] = [];
    const tuples = decisions.map((d) => {
      const values: unknown[] = [
        event.id,
        event.type,
        source.producer,
        d.audience,
        d.outcome,
        d.outcome === 'withheld' ? false : d.identityLinked,
        d.outcome === 'withheld' ? null : d.legalBasis,
        d.consentId ?? null,
        d.outcome === 'withheld' ? d.reason : null,
        source.child ?? null,
        JSON.stringify(d),
        source.topic,
        source.partition,
        source.offset,
        new Date(event.time),
      ];
      const placeholders = values.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const inserted: Array<{ audience: Audience }> = await manager.query(
      `INSERT INTO ${DISCLOSURE_TABLE} (${COLUMNS.join(', ')})
       VALUES ${tuples.join(', ')}
       ON CONFLICT ON CONSTRAINT router_disclosure_log_event_audience_key DO NOTHING
       RETURNING audience`,
      params,
    );
    const written = new Set(inserted.map((row) => row.audience));
    return decisions.map((d) => d.audience).filter((audience) => !written.has(audience));
  }
}
