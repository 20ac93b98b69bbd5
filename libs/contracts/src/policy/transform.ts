import { createHmac } from 'node:crypto';
import { CloudEvent } from '../envelope/cloud-event';
import { withoutPersonalData } from '../events/event-map';
import {
  createPseudonymizer,
  MIN_PSEUDONYM_KEY_BYTES,
  PseudonymKey,
  PseudonymKeyError,
} from '../identity/pseudonym';
import { Decision, subjectPersonnummerOf } from './decide';
import { pick, removeAt, valueAt } from './paths';

export enum PolicyErrorCode {
  /** A minimized copy needs a subject from a data field that the event does not have. */
  SUBJECT_MISSING = 'POLICY_SUBJECT_MISSING',
  /** The decision was made for another event type. */
  DECISION_MISMATCH = 'POLICY_DECISION_MISMATCH',
}

/** Raised on a programming error in the router, never for policy outcomes. Names no values. */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

/**
 * The copy of `event` that `decision` allows, with `legalbasis` set to the decision's basis key, or
 * null when withheld. Never mutates `event`. `pseudonymKey` is the router's secret (see
 * pseudonymize()); it is used only for pseudonymized copies.
 *
 * - full: the event, minus any fields the decision removes (protected identity: address data);
 * - minimized: only the allow-listed fields; the subject becomes the `subjectFrom` field (e.g. the
 *   report id), so the producer's subject id for the child does not travel to the recipient;
 * - pseudonymized: every personal-data field removed; the subject becomes HMAC-SHA256 of the child's
 *   personnummer, or, for events that identify no one by personnummer, a keyed HMAC of the
 *   producer's subject (so reporting never sees a producer's own id either).
 */
export function applyTransform(
  event: CloudEvent,
  decision: Decision,
  pseudonymKey: PseudonymKey,
): CloudEvent | null {
  if (decision.outcome === 'withheld') return null;
  if (decision.eventType !== event.type) {
    throw new PolicyError(PolicyErrorCode.DECISION_MISMATCH, 'The decision was made for another event type');
  }
  const base = { ...event, legalbasis: decision.legalBasis };

  switch (decision.outcome) {
    case 'full': {
      const data = structuredClone(event.data);
      for (const path of decision.removeFields ?? []) removeAt(data, path);
      return { ...base, data };
    }
    case 'minimized': {
      const subjectPath = decision.subjectFrom ?? '';
      const subject = valueAt(event.data, subjectPath);
      if (typeof subject !== 'string' || subject.length === 0) {
        throw new PolicyError(
          PolicyErrorCode.SUBJECT_MISSING,
          `Minimized copy needs data field "${subjectPath}"`,
        );
      }
      return { ...base, subject, data: pick(event.data, decision.minimizedFields ?? []) };
    }
    case 'pseudonymized': {
      const data = withoutPersonalData(decision.eventType, event.data);
      return { ...base, subject: pseudonymousSubject(event, pseudonymKey), data };
    }
  }
}

/** The reporting subject of an event: see applyTransform. */
export function pseudonymousSubject(event: CloudEvent, pseudonymKey: PseudonymKey): string {
  const personnummer = subjectPersonnummerOf(
    event.type as Parameters<typeof subjectPersonnummerOf>[0],
    event.data,
  );
  if (personnummer !== undefined) return createPseudonymizer(pseudonymKey)(personnummer);
  const key =
    typeof pseudonymKey === 'string' ? Buffer.from(pseudonymKey, 'utf8') : Buffer.from(pseudonymKey);
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) throw new PseudonymKeyError();
  // Domain-separated from personnummer pseudonyms so the two kinds can never collide.
  return createHmac('sha256', key)
    .update(`subject\u0000${event.source}\u0000${event.subject}`, 'utf8')
    .digest('hex');
}
