import { isCourseProgramme } from '../catalog';
import { CloudEvent } from '../envelope/cloud-event';
import { Agency } from '../events/common/shared';
import { EventType, isEventType, personalDataOf } from '../events/event-map';
import { Audience, AUDIENCES, PRODUCER_SERVICES, ProducerService } from '../topology';
import { ConsentLookup, findConsent } from './consent';
import { LegalBasisKey } from './legal-basis';
import {
  PolicyRule,
  PROTECTED_IDENTITY,
  PRODUCERS_OF,
  SHARING_POLICY,
  SharingOutcome,
  WithholdReason,
} from './sharing-policy';
import { valueAt } from './paths';

export interface DeliverDecision {
  outcome: Exclude<SharingOutcome, 'withheld'>;
  eventType: EventType;
  audience: Audience;
  legalBasis: LegalBasisKey;
  /** The consent the delivery relies on; the router writes it to the disclosure log. */
  consentId?: string;
  /** For 'minimized': the allow-list of data paths. */
  minimizedFields?: readonly string[];
  /** For 'minimized': the data path whose value becomes the subject of the copy. */
  subjectFrom?: string;
  /** Data paths to remove even from a full delivery (protected identity: address data). */
  removeFields?: readonly string[];
  /**
   * True when the copy can be tied to a child by its recipient (full and minimized deliveries of
   * events about a child). Every such delivery belongs in the disclosure log.
   */
  identityLinked: boolean;
}

export interface WithholdDecision {
  outcome: 'withheld';
  eventType: string;
  audience: Audience;
  reason: WithholdReason;
  /** A consent that was considered but no longer applies (withdrawn or expired), for the log. */
  consentId?: string;
}

export type Decision = DeliverDecision | WithholdDecision;

export interface DecideOptions {
  /** Consent validity is judged at this instant (default: now). A withdrawal applies from the moment it is on record. */
  now?: Date;
  /**
   * The producing service as established by the topic the event was read from (the topic's ACL
   * authenticates the writer; `ce_source` is only a claim). When given, it must agree with
   * `ce_source`; when absent, `ce_source` is used.
   */
  producer?: ProducerService;
}

const SOURCE_PATTERN = /^\/samverkan\/([a-z-]+)$/;

/** The producing service a `ce_source` names, if it is one of the hub's producers. */
export function producerOfSource(source: string): ProducerService | undefined {
  const service = SOURCE_PATTERN.exec(source)?.[1];
  return (PRODUCER_SERVICES as readonly string[]).includes(service ?? '')
    ? (service as ProducerService)
    : undefined;
}

/**
 * The personnummer that identifies the subject of an event: the child's when the event names one,
 * otherwise the first other identity field (a course participant). Undefined for events about no
 * identified person (a course, a participant known only by alias).
 */
export function subjectPersonnummerOf(type: EventType, data: unknown): string | undefined {
  const paths = personalDataOf(type)
    .filter((f) => f.kind === 'identity' && !f.path.includes('[]'))
    .map((f) => f.path)
    .sort((a, b) => Number(b.startsWith('child.')) - Number(a.startsWith('child.')));
  for (const path of paths) {
    const value = valueAt(data, path);
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function withhold(
  event: CloudEvent,
  audience: Audience,
  reason: WithholdReason,
  consentId?: string,
): WithholdDecision {
  const decision: WithholdDecision = { outcome: 'withheld', eventType: event.type, audience, reason };
  if (consentId !== undefined) decision.consentId = consentId;
  return decision;
}

/**
 * What the router may deliver of `event` to `audience`. Pure: the same event, consents and time
 * always give the same decision. Deny by default: an unknown type or audience, an unknown producer
 * or a rule whose conditions do not hold all give 'withheld' with a reason.
 */
export function decide(
  event: CloudEvent,
  audience: Audience,
  consentLookup: ConsentLookup,
  options: DecideOptions = {},
): Decision {
  if (!isEventType(event.type) || !(AUDIENCES as readonly string[]).includes(audience)) {
    return withhold(event, audience, 'no-rule');
  }
  const type = event.type;
  const rule: PolicyRule | undefined = SHARING_POLICY[type]?.[audience];
  if (!rule) return withhold(event, audience, 'no-rule');

  const claimed = producerOfSource(event.source);
  if (options.producer !== undefined && claimed !== options.producer)
    return withhold(event, audience, 'source-mismatch');
  const producer = options.producer ?? claimed;
  if (!producer || !PRODUCERS_OF[type].includes(producer))
    return withhold(event, audience, 'unknown-producer');

  if (rule.outcome === 'withheld') return withhold(event, audience, rule.reason);
  if ((audience as string) === producer) return withhold(event, audience, 'own-agency');

  const protectedIdentity = valueAt(event.data, PROTECTED_IDENTITY.flagPath) === true;
  if (protectedIdentity && audience !== PROTECTED_IDENTITY.onlyAudience) {
    return withhold(event, audience, 'protected-identity');
  }

  if (rule.outcome === 'pseudonymized') {
    return {
      outcome: 'pseudonymized',
      eventType: type,
      audience,
      legalBasis: rule.legalBasis,
      identityLinked: false,
    };
  }

  const personnummer = subjectPersonnummerOf(type, event.data);
  const now = options.now ?? new Date();

  if (rule.condition === 'reporter-agency' && valueAt(event.data, 'reporterUnit.agency') !== audience) {
    return withhold(event, audience, 'not-addressed');
  }
  if (rule.condition === 'course-programme') {
    const code = valueAt(event.data, 'catalogCode');
    if (typeof code !== 'string' || !isCourseProgramme(code))
      return withhold(event, audience, 'not-addressed');
  }
  if (rule.condition === 'consent-party') {
    const parties = consentPartiesOf(type, event.data, personnummer, consentLookup);
    if (!parties?.includes(audience as Agency)) return withhold(event, audience, 'not-addressed');
  }

  let consentId: string | undefined;
  if (rule.consentRequired) {
    if (!personnummer) return withhold(event, audience, 'no-identity-for-consent');
    const verdict = findConsent(
      consentLookup(personnummer),
      [producer, audience as Agency],
      rule.consentRequired.informationKind,
      now,
    );
    if (!verdict.allowed) return withhold(event, audience, verdict.reason, verdict.consentId);
    consentId = verdict.consentId;
  } else if (rule.condition === 'consent-party') {
    consentId = valueAt(event.data, 'consentId') as string | undefined;
  }

  const decision: DeliverDecision = {
    outcome: rule.outcome,
    eventType: type,
    audience,
    legalBasis: rule.legalBasis,
    identityLinked: personnummer !== undefined,
  };
  if (consentId !== undefined) decision.consentId = consentId;
  if (rule.outcome === 'minimized') {
    decision.minimizedFields = rule.minimizedFields;
    decision.subjectFrom = rule.subjectFrom;
  }
  if (protectedIdentity) {
    const removeFields = personalDataOf(type)
      .filter((f) => (PROTECTED_IDENTITY.removeKinds as readonly string[]).includes(f.kind))
      .map((f) => f.path)
      .filter((path) => !PROTECTED_IDENTITY.keepPaths.includes(path));
    if (removeFields.length > 0) decision.removeFields = removeFields;
  }
  return decision;
}

/** The parties of the consent an event is about: from the event itself, or for a withdrawal from the record. */
function consentPartiesOf(
  type: EventType,
  data: unknown,
  personnummer: string | undefined,
  consentLookup: ConsentLookup,
): readonly Agency[] | undefined {
  const parties = valueAt(data, 'parties');
  if (Array.isArray(parties)) return parties as Agency[];
  const consentId = valueAt(data, 'consentId');
  if (type === 'samverkan.consent.withdrawn.v1' && personnummer && typeof consentId === 'string') {
    return consentLookup(personnummer).find((c) => c.consentId === consentId)?.parties;
  }
  return undefined;
}

/** decide() for every audience of the topology, in topology order: what the router does per event. */
export function decideAll(
  event: CloudEvent,
  consentLookup: ConsentLookup,
  options: DecideOptions = {},
): Decision[] {
  const now = options.now ?? new Date();
  return AUDIENCES.map((audience) => decide(event, audience, consentLookup, { ...options, now }));
}
