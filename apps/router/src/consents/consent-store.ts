import { Injectable, Logger } from '@nestjs/common';
import {
  type Agency,
  type CloudEvent,
  type ConsentRecord,
  type EventMap,
  type InformationKind,
  isEventOf,
  type ProducerService,
} from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';
import { CONSENT_TABLE } from './consent-state.entity';

interface ConsentRow {
  consent_id: string;
  parties: string[];
  information_kinds: string[];
  valid_from: string | Date;
  valid_to: string | Date;
  withdrawn_at: Date | null;
}

const dateText = (value: string | Date): string =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

/**
 * Consent state in the router's own database, fed by consent.granted / consent.withdrawn from the
 * source topics. Applied in the routing loop, inside the event's database transaction and before
 * the event itself is decided, so every event routed after a withdrawal sees it (on its partition
 * at once; on other partitions from the moment that transaction commits).
 *
 * Every write is idempotent (keyed by consent id; a withdrawal keeps its first instant), so a batch
 * replayed after a crash changes nothing.
 */
@Injectable()
export class ConsentStore {
  private readonly logger = new Logger(ConsentStore.name);

  /** Applies a consent event; any other event is left alone. `child` is the router's internal pseudonym. */
  async apply(
    manager: EntityManager,
    event: CloudEvent,
    producer: ProducerService,
    child: string | undefined,
    now: Date,
  ): Promise<void> {
    if (child === undefined) return;
    if (isEventOf(event, 'samverkan.consent.granted.v1')) {
      await this.granted(manager, event, producer, child);
    } else if (isEventOf(event, 'samverkan.consent.withdrawn.v1')) {
      await this.withdrawn(manager, event.id, event.data, child, now);
    }
  }

  /** The consents on record for a child, as decide() wants them (the personnummer is added by the caller). */
  async forChild(manager: EntityManager, child: string): Promise<Omit<ConsentRecord, 'personnummer'>[]> {
    const rows: ConsentRow[] = await manager.query(
      `SELECT consent_id, parties, information_kinds, valid_from::text AS valid_from, valid_to::text AS valid_to, withdrawn_at
         FROM ${CONSENT_TABLE}
        WHERE child_pseudonym = $1 AND valid_from IS NOT NULL AND valid_to IS NOT NULL
        ORDER BY consent_id`,
      [child],
    );
    return rows.map((row) => {
      const record: Omit<ConsentRecord, 'personnummer'> = {
        consentId: row.consent_id,
        parties: row.parties as Agency[],
        informationKinds: row.information_kinds as InformationKind[],
        validFrom: dateText(row.valid_from),
        validTo: dateText(row.valid_to),
      };
      if (row.withdrawn_at) record.withdrawnAt = new Date(row.withdrawn_at).toISOString();
      return record;
    });
  }

  private async granted(
    manager: EntityManager,
    event: CloudEvent<'samverkan.consent.granted.v1', EventMap['samverkan.consent.granted.v1']>,
    producer: ProducerService,
    child: string,
  ): Promise<void> {
    const data = event.data;
    // An agency records consents to exchange information with itself as a party. A grant naming
    // only other agencies would open a channel its producer is not part of: it is not recorded (the
    // consent event itself is still routed to its parties by the policy).
    if (!data.parties.includes(producer)) {
      this.logger.warn(
        `consent.granted ${event.id} from ${producer} does not name ${producer}; not recorded`,
      );
      return;
    }
    // A grant never lifts a withdrawal already on record (withdrawn_at is left alone), and a consent
    // id already held for another child is not taken over.
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
        data.consentId,
        child,
        data.parties,
        data.informationKinds,
        data.validFrom,
        data.validTo,
        producer,
        event.id,
      ],
    );
  }

  private async withdrawn(
    manager: EntityManager,
    eventId: string,
    data: EventMap['samverkan.consent.withdrawn.v1'],
    child: string,
    now: Date,
  ): Promise<void> {
    // Any agency may record a guardian's withdrawal: withdrawing only ever narrows what is shared.
    await manager.query(
      `INSERT INTO ${CONSENT_TABLE} (consent_id, child_pseudonym, withdrawn_at, withdrawn_event_id, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (consent_id) DO UPDATE SET
         withdrawn_at = COALESCE(${CONSENT_TABLE}.withdrawn_at, EXCLUDED.withdrawn_at),
         withdrawn_event_id = COALESCE(${CONSENT_TABLE}.withdrawn_event_id, EXCLUDED.withdrawn_event_id),
         updated_at = now()
       WHERE ${CONSENT_TABLE}.child_pseudonym = EXCLUDED.child_pseudonym`,
      [data.consentId, child, now, eventId],
    );
  }
}
