import { Inject, Injectable } from '@nestjs/common';
import { isLegalBasisKey, legalBasisReference, type ProducerService } from '@samverkan/contracts';
import { DataSource } from 'typeorm';
import { RouterKeys } from '../config/router-keys';
import type {
  DisclosureEntry,
  DisclosureSearchResponse,
  WithholdingCount,
  WithholdingEntry,
} from './disclosure-search.dto';
import { DISCLOSURE_TABLE } from './disclosure-record.entity';

interface Row {
  event_id: string;
  event_type: string;
  producer: string;
  audience: string;
  outcome: string;
  legal_basis: string | null;
  consent_id: string | null;
  withhold_reason: string | null;
  event_time: Date;
  routed_at: Date;
}

/** Reads the disclosure log for the data owner. */
@Injectable()
export class DisclosureSearchService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(RouterKeys) private readonly keys: RouterKeys,
  ) {}

  /**
   * Everything routed about one child from one agency's data: the log holds the router's pseudonym,
   * so that is what is searched. Only the `owner`'s own records (producer = the agency whose source
   * topic the event came from): that another agency disclosed or withheld anything about the child
   * would itself tell the caller that agency is involved (a social-services case, say).
   *
   * router_disclosure_log_child_idx finds the child's rows; the producer test runs on those few rows.
   */
  async search(personnummer: string, owner: ProducerService): Promise<DisclosureSearchResponse> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT event_id, event_type, producer, audience, outcome, legal_basis, consent_id, withhold_reason, event_time, routed_at
         FROM ${DISCLOSURE_TABLE}
        WHERE child_pseudonym = $1
          AND producer = $2
        ORDER BY routed_at, id`,
      [this.keys.internalPseudonym(personnummer), owner],
    );
    const deliveries: DisclosureEntry[] = [];
    const withholdings: WithholdingEntry[] = [];
    for (const row of rows) {
      const common = {
        eventId: row.event_id,
        eventType: row.event_type,
        from: row.producer,
        to: row.audience,
        eventTime: new Date(row.event_time).toISOString(),
        routedAt: new Date(row.routed_at).toISOString(),
        ...(row.consent_id ? { consentId: row.consent_id } : {}),
      };
      if (row.outcome === 'withheld') {
        withholdings.push({ ...common, reason: row.withhold_reason ?? 'unknown' });
      } else {
        const basis = row.legal_basis ?? '';
        deliveries.push({
          ...common,
          outcome: row.outcome,
          legalBasis: basis,
          legalReference: isLegalBasisKey(basis) ? legalBasisReference(basis) : '',
        });
      }
    }
    return { deliveries, withholdings };
  }

  /**
   * The `owner`'s withholdings counted by reason, event type and audience (no child in it). Only its
   * own, as in search(): a small count of another agency's withholdings reveals that agency's activity.
   */
  async withholdingCounts(owner: ProducerService): Promise<WithholdingCount[]> {
    const rows: Array<{
      reason: string;
      event_type: string;
      producer: string;
      audience: string;
      count: string;
    }> = await this.dataSource.query(
      `SELECT withhold_reason AS reason, event_type, producer, audience, count(*) AS count
           FROM ${DISCLOSURE_TABLE}
          WHERE outcome = 'withheld'
            AND producer = $1
          GROUP BY withhold_reason, event_type, producer, audience
          ORDER BY withhold_reason, event_type, producer, audience`,
      [owner],
    );
    return rows.map((r) => ({
      reason: r.reason,
      eventType: r.event_type,
      from: r.producer,
      to: r.audience,
      count: Number(r.count),
    }));
  }
}
