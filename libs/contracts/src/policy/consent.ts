import { Agency } from '../events/common/shared';
import { ConsentGrantedV1, InformationKind } from '../events/consent/granted.v1.event';

/**
 * Consent as the router holds it (in its own database, fed by consent.granted / consent.withdrawn).
 * decide() gets the consents of the event's child through a ConsentLookup, so it stays a pure
 * function: the router loads the child's consents first and passes them in.
 */
export interface ConsentRecord {
  consentId: string;
  /** The child's normalized 12-digit personnummer. */
  personnummer: string;
  parties: readonly Agency[];
  informationKinds: readonly InformationKind[];
  /** Inclusive local dates (Europe/Stockholm), YYYY-MM-DD. */
  validFrom: string;
  validTo: string;
  /** Set once the withdrawal has been routed; from then on the consent allows nothing. */
  withdrawnAt?: string;
}

/** All consents on record for a child (in force or not): decide() works out which apply. */
export type ConsentLookup = (personnummer: string) => readonly ConsentRecord[];

export const NO_CONSENTS: ConsentLookup = () => [];

/** A lookup over an in-memory list, for tests and for a router that prefetched a child's consents. */
export function consentLookupFrom(records: readonly ConsentRecord[]): ConsentLookup {
  return (personnummer) => records.filter((r) => r.personnummer === personnummer);
}

export function consentRecordFromGranted(data: ConsentGrantedV1): ConsentRecord {
  return {
    consentId: data.consentId,
    personnummer: data.child.personnummer,
    parties: [...data.parties],
    informationKinds: [...data.informationKinds],
    validFrom: data.validFrom,
    validTo: data.validTo,
  };
}

export type ConsentVerdict =
  | { allowed: true; consentId: string }
  | {
      allowed: false;
      reason: 'consent-missing' | 'consent-withdrawn' | 'consent-expired' | 'consent-not-yet-valid';
      consentId?: string;
    };

const stockholmDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Stockholm calendar date of an instant (validity dates are local dates). */
export function stockholmDateOf(instant: Date): string {
  return stockholmDate.format(instant);
}

/**
 * Is there a consent in force, at `now`, naming both agencies and the kind of information?
 * When not, the reason reflects the closest match, so the disclosure log can say "withdrawn" or
 * "expired" rather than just "missing".
 */
export function findConsent(
  consents: readonly ConsentRecord[],
  between: readonly [Agency, Agency],
  informationKind: InformationKind,
  now: Date,
): ConsentVerdict {
  const today = stockholmDateOf(now);
  const matching = consents
    .filter(
      (c) => between.every((a) => c.parties.includes(a)) && c.informationKinds.includes(informationKind),
    )
    .sort((a, b) => (a.consentId < b.consentId ? -1 : 1));
  const inForce = matching.find((c) => !c.withdrawnAt && c.validFrom <= today && today <= c.validTo);
  if (inForce) return { allowed: true, consentId: inForce.consentId };
  const withdrawn = matching.find((c) => c.withdrawnAt);
  if (withdrawn) return { allowed: false, reason: 'consent-withdrawn', consentId: withdrawn.consentId };
  const expired = matching.find((c) => c.validTo < today);
  if (expired) return { allowed: false, reason: 'consent-expired', consentId: expired.consentId };
  const early = matching.find((c) => c.validFrom > today);
  if (early) return { allowed: false, reason: 'consent-not-yet-valid', consentId: early.consentId };
  return { allowed: false, reason: 'consent-missing' };
}
