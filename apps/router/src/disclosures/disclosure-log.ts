import { Injectable } from '@nestjs/common';
import type { Audience, CloudEvent, Decision, ProducerService } from '@samverkan/contracts';
import { DataSource, type EntityManager } from 'typeorm';
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

/** One event's decisions, waiting for the batch's database transaction. */
export interface PendingDisclosure {
  source: DisclosureSource;
  decisions: readonly Decision[];
}

/** The columns' SQL types, in COLUMNS order. */
const TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'boolean',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
  'text',
  'integer',
  'bigint',
  'timestamptz',
] as const;

/**
 * The rows travel as one array per column: the text is the same for any number of rows, so
 * PostgreSQL parses a short statement instead of a VALUES list of 15 placeholders per row (a routing
 * cycle of 40 events wrote 160 rows, 2,400 parameters, a new statement text every time), and the
 * answer is one count instead of a row per written row.
 */
const INSERT_ROWS = `WITH written AS (
     INSERT INTO ${DISCLOSURE_TABLE} (${COLUMNS.join(', ')})
     SELECT * FROM unnest(${TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})
     ON CONFLICT ON CONSTRAINT router_disclosure_log_event_audience_key DO NOTHING
     RETURNING 1)
   SELECT count(*)::int AS n FROM written`;

/** Rows at most in one statement (bounds its size in memory; see fitsOneStatement). */
const ROWS_PER_STATEMENT = 1000;

/** The disclosure log's reads and writes for the routing loop (see RoutingService). */
@Injectable()
export class DisclosureLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Decisions already on record for an event: present only when the event is being routed again. */
  async recordedDecisions(eventId: string): Promise<Map<Audience, Decision>> {
    const rows: Array<{ audience: Audience; decision: Decision }> = await this.dataSource.query(
      `SELECT audience, decision FROM ${DISCLOSURE_TABLE} WHERE event_id = $1`,
      [eventId],
    );
    return new Map(rows.map((row) => [row.audience, row.decision]));
  }

  /**
   * recordedDecisions() for many events in one query (a batch's prefetch): every id gets an entry,
   * empty when nothing is on record.
   */
  async recordedDecisionsOf(eventIds: readonly string[]): Promise<Map<string, Map<Audience, Decision>>> {
    const out = new Map<string, Map<Audience, Decision>>(eventIds.map((id) => [id, new Map()]));
    if (eventIds.length === 0) return out;
    const rows: Array<{ event_id: string; audience: Audience; decision: Decision }> =
      await this.dataSource.query(
        `SELECT event_id, audience, decision FROM ${DISCLOSURE_TABLE} WHERE event_id = ANY($1::text[])`,
        [[...new Set(eventIds)]],
      );
    for (const row of rows) out.get(row.event_id)?.set(row.audience, row.decision);
    return out;
  }

  /** Whether record() writes `pending` with one statement (so it needs no transaction of its own). */
  fitsOneStatement(pending: readonly PendingDisclosure[]): boolean {
    let rows = 0;
    for (const { decisions } of pending) rows += decisions.length;
    return rows <= ROWS_PER_STATEMENT;
  }

  /**
   * Records decisions, one row per (event, audience), inside the batch's database transaction. A row
   * already there is left as it is (ON CONFLICT DO NOTHING). Returns how many rows this call did
   * NOT write: another router instance recorded them first.
   */
  async record(manager: EntityManager, pending: readonly PendingDisclosure[]): Promise<number> {
    const rows = pending.flatMap(({ source, decisions }) => decisions.map((d) => rowOf(source, d)));
    let written = 0;
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const columns: unknown[][] = COLUMNS.map((_, c) => chunk.map((row) => row[c]));
      const [{ n }]: Array<{ n: number }> = await manager.query(INSERT_ROWS, columns);
      written += n;
    }
    return rows.length - written;
  }
}

function rowOf(source: DisclosureSource, d: Decision): unknown[] {
  const { event } = source;
  return [
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
}
