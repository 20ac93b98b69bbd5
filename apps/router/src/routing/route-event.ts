import {
  applyTransform,
  type Audience,
  AUDIENCES,
  type CloudEvent,
  type ConsentRecord,
  consentLookupFrom,
  decide,
  type Decision,
  isEventType,
  type ProducerService,
  subjectPersonnummerOf,
} from '@samverkan/contracts';
import type { RouterKeys } from '../config/router-keys';
import type { RouterTopics } from './router-topics';

export interface RouteInput {
  event: CloudEvent;
  /** Established by the source topic the event came from. */
  producer: ProducerService;
  /** Consents on record for the event's child (any state); decide() works out which apply. */
  consents: readonly Omit<ConsentRecord, 'personnummer'>[];
  /**
   * Decisions already in the disclosure log for this event (a replay): they are delivered as
   * recorded, never decided again, so what the log says and what the audiences got cannot differ.
   */
  recorded?: ReadonlyMap<Audience, Decision>;
  keys: RouterKeys;
  topics: RouterTopics;
  now: Date;
}

export interface RoutedCopy {
  audience: Audience;
  topic: string;
  event: CloudEvent;
}

export interface RouteResult {
  /** One per audience, in topology order. */
  decisions: Decision[];
  /** Decisions that were not in `recorded`: the disclosure log must get these. */
  fresh: Decision[];
  copies: RoutedCopy[];
  /** The child's personnummer, when the event identifies one (kept in memory only). */
  personnummer?: string;
}

/** The personnummer that identifies the child of an event, if any. */
export function personnummerOf(event: CloudEvent): string | undefined {
  return isEventType(event.type) ? subjectPersonnummerOf(event.type, event.data) : undefined;
}

/**
 * THE ROUTING STEP, pure: for each audience, the sharing policy's decision (decide) and the copy it
 * allows (applyTransform), with `ce_legalbasis` set. Deny by default is decide()'s: an unknown type,
 * a producer the policy does not name, a missing consent all come back withheld with a reason.
 *
 * Subjects (= Kafka keys) of the copies:
 * - pseudonymized (reporting): HMAC-SHA256(router key, personnummer), as applyTransform computes it;
 * - minimized (feedback to a reporter): the field the policy names (the report id);
 * - full, about an identified child: a per-audience keyed pseudonym of the personnummer. It is
 *   stable for one child within one audience whoever produced the event, so one child's events
 *   from every producer share a partition and stay in routing order; it cannot be linked to the
 *   reporting pseudonym or across audiences, and the recipient learns nothing it does not already
 *   have (the copy carries the personnummer). The producer's own opaque subject id stays home;
 * - full, about no identified child (courses, free places): the producer's subject.
 */
export function routeEvent(input: RouteInput): RouteResult {
  const { event, producer, keys, topics, now } = input;
  const personnummer = personnummerOf(event);
  const lookup = consentLookupFrom(
    personnummer === undefined ? [] : input.consents.map((c) => ({ ...c, personnummer })),
  );
  const decisions: Decision[] = [];
  const fresh: Decision[] = [];
  const copies: RoutedCopy[] = [];
  for (const audience of AUDIENCES) {
    let decision = input.recorded?.get(audience);
    if (!decision) {
      decision = decide(event, audience, lookup, { now, producer });
      fresh.push(decision);
    }
    decisions.push(decision);
    const copy = applyTransform(event, decision, keys.pseudonymKey);
    if (!copy) continue;
    if (decision.outcome === 'full' && personnummer !== undefined) {
      copy.subject = keys.audienceSubject(audience, personnummer);
    }
    copies.push({ audience, topic: topics.audience(audience), event: copy });
  }
  return { decisions, fresh, copies, personnummer };
}
