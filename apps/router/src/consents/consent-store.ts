import { Injectable, Logger } from '@nestjs/common';
import {
  type Agency,
  type CloudEvent,
  type ConsentRecord,
  type InformationKind,
  isEventOf,
  type ProducerService,
} from '@samverkan/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { CONSENT_TABLE } from './consent-state.entity';

/** A change to the consent state that a consent event makes. `child` is the router's internal pseudonym. */
export type ConsentChange =
  | {
      kind: 'granted';
      eventId: string;
      consentId: string;
      child: string;
      parties: Agency[];
      informationKinds: InformationKind[];
      validFrom: string;
      validTo: string;
      grantedVia: ProducerService;
    }
  | { kind: 'withdrawn'; eventId: string; consentId: string; child: string; withdrawnAt: Date };

export type ChildConsent = Omit<ConsentRecord, 'personnummer'>;

interface ConsentState {
  consentId: string;
  parties: string[];
  informationKinds: string[];
  validFrom: string | null;
  validTo: string | null;
  withdrawnAt: Date | null;
}

/**
 * Consent state in the router's own database, fed by consent.granted / consent.withdrawn from the
 * source topics, in the routing loop: a change is seen by the events routed after it on the same
 * partition at once (the batch's pending changes are laid over what the database holds), and by
 * every other partition from the moment the batch's database transaction commits.
 *
 * Every write is idempotent (keyed by consent id; a withdrawal keeps its first instant), so a batch
 * written again after a crash changes nothing.
 */
@Injectable()
export class ConsentStore {
  private readonly logger = new Logger(ConsentStore.name);

  constructor(private readonly dataSource: DataSource) {}

  /** The change a consent event makes, or undefined (any other event, or a grant not recorded). */
  changeOf(
    event: CloudEvent,
    producer: ProducerService,
    child: string | undefined,
    now: Date,
  ): ConsentChange | undefined {
    if (child === undefined) return undefined;
    if (isEventOf(event, 'samverkan.consent.granted.v1')) {
      const data = event.data;
      // An agency records consents to exchange information with itself as a party. A grant naming
      // only other agencies would open a channel its producer is not part of: it is not recorded
      // (the consent event itself still reaches its parties, by the policy).
      if (!data.parties.includes(producer)) {
        this.logger.warn(
          `consent.granted ${event.id} from ${producer} does not name ${producer}; not recorded`,
        );
        return undefined;
      }
      return {
        kind: 'granted',
        eventId: event.id,
        consentId: data.consentId,
        child,
        parties: [...data.parties],
        informationKinds: [...data.informationKinds],
        validFrom: data.validFrom,
        validTo: data.validTo,
        grantedVia: producer,
      };
    }
    if (isEventOf(event, 'samverkan.consent.withdrawn.v1')) {
      // Any agency may record a guardian's withdrawal: withdrawing only ever narrows what is shared.
      // It takes effect when the router applies it (`now`), for every event routed after it.
      return {
        kind: 'withdrawn',
        eventId: event.id,
        consentId: event.data.consentId,
        child,
        withdrawnAt: now,
      };
    }
    return undefined;
  }

  /** The consents on record for a child, with `pending` changes (not yet written, in order) applied on top. */
  async forChild(
    child: string,
    pending: readonly ConsentChange[] = [],
    prefetched?: ReadonlyMap<string, readonly ConsentRow[]>,
  ): Promise<ChildConsent[]> {
    const rows = prefetched?.get(child) ?? (await this.rowsOf([child])).get(child) ?? [];
    return overlay(child, rows, pending);
  }

  /**
   * The consent rows of many children in one query (a batch's prefetch): every child gets an entry,
   * empty when none is on record.
   */
  async rowsOf(children: readonly string[]): Promise<Map<string, ConsentRow[]>> {
    const out = new Map<string, ConsentRow[]>(children.map((c) => [c, []]));
    if (children.length === 0) return out;
    const rows: Array<ConsentRow & { child_pseudonym: string }> = await this.dataSource.query(
      `SELECT child_pseudonym, consent_id, parties, information_kinds, valid_from::text AS valid_from, valid_to::text AS valid_to, withdrawn_at
         FROM ${CONSENT_TABLE} WHERE child_pseudonym = ANY($1::text[])`,
      [[...new Set(children)]],
    );
    for (const { child_pseudonym, ...row } of rows) out.get(child_pseudonym)?.push(row);
    return out;
  }

  /** Writes changes in order, inside the batch's database transaction. */
  async write(manager: EntityManager, changes: readonly ConsentChange[]): Promise<void> {
    for (const change of changes) {
      if (change.kind === 'granted') {
        // A grant never lifts a withdrawal already on record (withdrawn_at is left alone), and a
        // consent id already held for another child is not taken over.
        await manager.query(
          `INSERT INTO ${CONSENT_TABLE}
             (consent_id, child_pseudonym, parties, information_kinds, valid_from, valid_to, granted_via, granted_event_id, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
           ON CONFLICT (consent_id) DO UPDATE SET
             parties = EXCLUDED.parties,
             information_kinds = EXCLUDED.information_kinds,
             valid_from = EXCLUDED.valid_from,
             valid_to = EXCLUDED.valid_to,
             granted_via = EXCLUDED.granted_via,
             granted_event_id = EXCLUDED.granted_event_id,
             updated_at = now()
           WHERE ${CONSENT_TABLE}.child_pseudonym = EXCLUDED.child_pseudonym`,
          [
            change.consentId,
            change.child,
            change.parties,
            change.informationKinds,
            change.validFrom,
            change.validTo,
            change.grantedVia,
            change.eventId,
          ],
        );
      } else {
        await manager.query(
          `INSERT INTO ${CONSENT_TABLE} (consent_id, child_pseudonym, withdrawn_at, withdrawn_event_id, updated_at)
           VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (consent_id) DO UPDATE SET
             withdrawn_at = COALESCE(${CONSENT_TABLE}.withdrawn_at, EXCLUDED.withdrawn_at),
             withdrawn_event_id = COALESCE(${CONSENT_TABLE}.withdrawn_event_id, EXCLUDED.withdrawn_event_id),
             updated_at = now()
           WHERE ${CONSENT_TABLE}.child_pseudonym = EXCLUDED.child_pseudonym`,
          [change.consentId, change.child, change.withdrawnAt, change.eventId],
        );
      }
    }
  }
}

/** A consent_state row as the routing loop reads it. */
export interface ConsentRow {
  consent_id: string;
  parties: string[];
  information_kinds: string[];
  valid_from: string | null;
  valid_to: string | null;
  withdrawn_at: Date | null;
}

function overlay(
  child: string,
  rows: readonly ConsentRow[],
  pending: readonly ConsentChange[],
): ChildConsent[] {
  const states = new Map<string, ConsentState>(
    rows.map((r) => [
      r.consent_id,
      {
        consentId: r.consent_id,
        parties: r.parties,
        informationKinds: r.information_kinds,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        withdrawnAt: r.withdrawn_at ? new Date(r.withdrawn_at) : null,
      },
    ]),
  );
  for (const change of pending) if (change.child === child) applyChange(states, change);
  return [...states.values()]
    .filter((s) => s.validFrom !== null && s.validTo !== null)
    .sort((a, b) => (a.consentId < b.consentId ? -1 : 1))
    .map((s) => {
      const record: ChildConsent = {
        consentId: s.consentId,
        parties: s.parties as Agency[],
        informationKinds: s.informationKinds as InformationKind[],
        validFrom: s.validFrom as string,
        validTo: s.validTo as string,
      };
      if (s.withdrawnAt) record.withdrawnAt = s.withdrawnAt.toISOString();
      return record;
    });
}

/** The same semantics as write(), in memory. */
function applyChange(states: Map<string, ConsentState>, change: ConsentChange): void {
  const existing = states.get(change.consentId);
  if (change.kind === 'granted') {
    states.set(change.consentId, {
      consentId: change.consentId,
      parties: change.parties,
      informationKinds: change.informationKinds,
      validFrom: change.validFrom,
      validTo: change.validTo,
      withdrawnAt: existing?.withdrawnAt ?? null,
    });
  } else if (existing) {
    existing.withdrawnAt = existing.withdrawnAt ?? change.withdrawnAt;
  } else {
    states.set(change.consentId, {
      consentId: change.consentId,
      parties: [],
      informationKinds: [],
      validFrom: null,
      validTo: null,
      withdrawnAt: change.withdrawnAt,
    });
  }
}
