import { EventType } from '../events/event-map';
import { InformationKind } from '../events/consent/granted.v1.event';
import { Audience, CoreAudience, ProducerService } from '../topology';
import { CONSUMER_AUDIENCE_POLICIES, type AudiencePolicy } from './audiences';
import { LegalBasisKey } from './legal-basis';

/**
 * THE SHARING POLICY: for every event type and every audience, what the router may deliver.
 * This file is data and is reviewed like code — a change here changes who learns what about a
 * child. Deny by default: the table must name a decision for every event type × audience (a unit
 * test and the type below enforce it), and anything not expressly allowed is withheld.
 *
 * Outcomes:
 * - full          the event as produced (to the legal recipient);
 * - minimized     only the fields in `minimizedFields` (feedback to a reporter);
 * - pseudonymized the subject becomes a keyed HMAC of the child's personnummer; names,
 *                 personnummer, contact details and free text are removed (reporting);
 * - withheld      nothing is delivered; the router counts it with `reason`.
 *
 * Rules applied to every row, before the row's own conditions (see decide()):
 * - an event never goes back to the agency that produced it (it has it already);
 * - a child with protected identity: only social services may receive the event, and never with
 *   address data (PROTECTED_IDENTITY below); reporting gets nothing either.
 */

export const SHARING_OUTCOMES = ['full', 'minimized', 'pseudonymized', 'withheld'] as const;
export type SharingOutcome = (typeof SHARING_OUTCOMES)[number];

/** Why an event was not delivered. Counted by the router; safe to log (no personal data). */
export const WITHHOLD_REASONS = [
  /** No rule for the type or audience (deny by default). */
  'no-rule',
  /** The policy row says no: no legal basis for this audience. */
  'no-legal-basis',
  /** The audience has no use for it (e.g. course totals to a school). */
  'not-needed',
  /** The producer's own agency. */
  'own-agency',
  /** A conditional row whose condition does not hold (e.g. feedback to an agency that did not report). */
  'not-addressed',
  /** Needs consent; none names both agencies and this kind of information. */
  'consent-missing',
  'consent-withdrawn',
  'consent-expired',
  'consent-not-yet-valid',
  /** Needs consent, but the event identifies no child to look consent up for. */
  'no-identity-for-consent',
  /** The child has protected identity and the audience is not social services. */
  'protected-identity',
  /** The producer cannot be established, or `ce_source` contradicts the topic it came from. */
  'unknown-producer',
  'source-mismatch',
] as const;
export type WithholdReason = (typeof WITHHOLD_REASONS)[number];

/**
 * A condition on the event itself:
 * - reporter-agency: the audience is `data.reporterUnit.agency` (who filed the report);
 * - consent-party: the audience is one of the consent's `parties` (for withdrawals: of the consent
 *   on record with that id);
 * - course-programme: `data.catalogCode` is a programme run as a course (isCourseProgramme): what a
 *   course provider needs, and nothing about the child's other interventions.
 */
export type RuleCondition = 'reporter-agency' | 'consent-party' | 'course-programme';

export type PolicyRule =
  | {
      outcome: 'full';
      legalBasis: LegalBasisKey;
      consentRequired?: { informationKind: InformationKind };
      condition?: RuleCondition;
      note?: string;
    }
  | {
      outcome: 'minimized';
      legalBasis: LegalBasisKey;
      /** The allow-list: dotted paths of `data` that are delivered; everything else is dropped. */
      minimizedFields: readonly string[];
      /** The data field whose value becomes the CloudEvents subject (and Kafka key) of the copy. */
      subjectFrom: string;
      consentRequired?: { informationKind: InformationKind };
      condition?: RuleCondition;
      note?: string;
    }
  | { outcome: 'pseudonymized'; legalBasis: LegalBasisKey; note?: string }
  | { outcome: 'withheld'; reason: WithholdReason; note?: string };

export type SharingPolicy = { readonly [T in EventType]: { readonly [A in Audience]: PolicyRule } };
/** The hub's own audiences' columns; consumer audiences have theirs in ./audiences. */
export type CoreSharingPolicy = { readonly [T in EventType]: { readonly [A in CoreAudience]: PolicyRule } };

const toReporting: PolicyRule = { outcome: 'pseudonymized', legalBasis: 'statistics-pseudonymized' };
const own = (note?: string): PolicyRule => ({ outcome: 'withheld', reason: 'own-agency', note });
const noBasis = (note?: string): PolicyRule => ({ outcome: 'withheld', reason: 'no-legal-basis', note });
const notNeeded = (note?: string): PolicyRule => ({ outcome: 'withheld', reason: 'not-needed', note });
const underConsent = (informationKind: InformationKind, note?: string): PolicyRule => ({
  outcome: 'full',
  legalBasis: 'consent',
  consentRequired: { informationKind },
  note,
});
const publicCourseData: PolicyRule = {
  outcome: 'full',
  legalBasis: 'no-personal-data',
  note: 'the place exchange: referrers in every agency see courses and free places',
};
const reporterFeedback: PolicyRule = {
  outcome: 'minimized',
  legalBasis: 'reporter-feedback',
  minimizedFields: ['reportId', 'outcome', 'decidedAt'],
  subjectFrom: 'reportId',
  condition: 'reporter-agency',
  note: 'the only feedback the law allows: opened / not opened / already ongoing, and when',
};
const consentParty: PolicyRule = {
  outcome: 'full',
  legalBasis: 'consent',
  condition: 'consent-party',
  note: 'the parties named in a consent learn that it exists, and when it ends',
};

const interventionRow = (note: string) =>
  ({
    education: underConsent('interventions', note),
    'social-services': underConsent('interventions', note),
    leisure: underConsent('interventions', note),
    reporting: toReporting,
  }) as const;

const courseParticipationRow = {
  education: underConsent('course-participation'),
  'social-services': underConsent('course-participation'),
  leisure: own(),
  reporting: toReporting,
} as const;

export const CORE_SHARING_POLICY: CoreSharingPolicy = {
  'samverkan.concern-report.filed.v1': {
    'social-services': {
      outcome: 'full',
      legalBasis: 'duty-to-report',
      note: 'the report, with identity and description, to the body that must assess it',
    },
    education: own(),
    leisure: noBasis(),
    reporting: toReporting,
  },
  'samverkan.concern-report.protection-assessed.v1': {
    education: noBasis('a reporter may learn only the decision outcome, not the protection assessment'),
    'social-services': own(),
    leisure: noBasis(),
    reporting: toReporting,
  },
  'samverkan.concern-report.decided.v1': {
    education: reporterFeedback,
    leisure: reporterFeedback,
    'social-services': own(),
    reporting: toReporting,
  },
  'samverkan.investigation.closed.v1': {
    education: noBasis('investigations stay within social services'),
    leisure: noBasis('investigations stay within social services'),
    'social-services': own(),
    reporting: toReporting,
  },
  'samverkan.intervention.referred.v1': {
    ...interventionRow('a referral crosses agencies only under consent'),
    leisure: {
      outcome: 'full',
      legalBasis: 'consent',
      consentRequired: { informationKind: 'interventions' },
      condition: 'course-programme',
      note: 'a referral to a course (parent programme or child group) reaches the course provider under consent; other referrals do not concern leisure',
    },
  },
  'samverkan.intervention.started.v1': interventionRow('shared work on one child, "after consent"'),
  'samverkan.intervention.ended.v1': interventionRow('shared work on one child, "after consent"'),
  'samverkan.consent.granted.v1': {
    education: consentParty,
    'social-services': consentParty,
    leisure: consentParty,
    reporting: toReporting,
  },
  'samverkan.consent.withdrawn.v1': {
    education: consentParty,
    'social-services': consentParty,
    leisure: consentParty,
    reporting: toReporting,
  },
  'samverkan.school-absence.flagged.v1': {
    'social-services': underConsent('school-attendance'),
    education: own(),
    leisure: notNeeded(),
    reporting: toReporting,
  },
  'samverkan.course.scheduled.v1': {
    education: publicCourseData,
    'social-services': publicCourseData,
    leisure: own(),
    reporting: toReporting,
  },
  'samverkan.course.places-available.v1': {
    education: publicCourseData,
    'social-services': publicCourseData,
    leisure: own(),
    reporting: toReporting,
  },
  'samverkan.course.completed.v1': {
    education: notNeeded('totals only; reporting follows up'),
    'social-services': notNeeded('totals only; reporting follows up'),
    leisure: own(),
    reporting: toReporting,
  },
  'samverkan.course.participant-enrolled.v1': courseParticipationRow,
  'samverkan.course.participant-waitlisted.v1': courseParticipationRow,
  'samverkan.course.participant-withdrawn.v1': courseParticipationRow,
  'samverkan.course.attendance-recorded.v1': courseParticipationRow,
  'samverkan.course.participant-completed.v1': courseParticipationRow,
};

/**
 * The whole table: the core columns and one column per consumer audience. Both inputs are typed
 * exhaustively, so the merged table names a decision for every event type × audience.
 */
export const SHARING_POLICY: SharingPolicy = Object.fromEntries(
  (Object.keys(CORE_SHARING_POLICY) as EventType[]).map((type) => [
    type,
    {
      ...CORE_SHARING_POLICY[type],
      ...Object.fromEntries(
        Object.entries<AudiencePolicy>(CONSUMER_AUDIENCE_POLICIES).map(([audience, column]) => [
          audience,
          column[type],
        ]),
      ),
    },
  ]),
) as unknown as SharingPolicy;

/**
 * Skyddad identitet. Such a record never leaves the holding agency except to social services, and
 * never with address data: fields of these personal-data kinds are removed even from a delivery to
 * social services. `keepPaths` are the reporting staff member's own work contact (not the child's
 * whereabouts), which social services needs to reach the reporter.
 */
export const PROTECTED_IDENTITY = {
  flagPath: 'child.protectedIdentity',
  onlyAudience: 'social-services' as Audience,
  removeKinds: ['contact'] as const,
  keepPaths: ['reporter.contact.email', 'reporter.contact.phone'] as readonly string[],
};

/** Which producers may raise which events: the router refuses an event from any other source. */
export const PRODUCERS_OF: { readonly [T in EventType]: readonly ProducerService[] } = {
  'samverkan.concern-report.filed.v1': ['education'],
  'samverkan.concern-report.protection-assessed.v1': ['social-services'],
  'samverkan.concern-report.decided.v1': ['social-services'],
  'samverkan.investigation.closed.v1': ['social-services'],
  'samverkan.intervention.referred.v1': ['social-services', 'education'],
  'samverkan.intervention.started.v1': ['social-services', 'education'],
  'samverkan.intervention.ended.v1': ['social-services', 'education'],
  'samverkan.consent.granted.v1': ['education', 'social-services', 'leisure'],
  'samverkan.consent.withdrawn.v1': ['education', 'social-services', 'leisure'],
  'samverkan.school-absence.flagged.v1': ['education'],
  'samverkan.course.scheduled.v1': ['leisure'],
  'samverkan.course.places-available.v1': ['leisure'],
  'samverkan.course.completed.v1': ['leisure'],
  'samverkan.course.participant-enrolled.v1': ['leisure'],
  'samverkan.course.participant-waitlisted.v1': ['leisure'],
  'samverkan.course.participant-withdrawn.v1': ['leisure'],
  'samverkan.course.attendance-recorded.v1': ['leisure'],
  'samverkan.course.participant-completed.v1': ['leisure'],
};

/** One row per event type × audience, for review tables and the operations console. */
export function sharingPolicyRows(): { eventType: EventType; audience: Audience; rule: PolicyRule }[] {
  return (Object.keys(SHARING_POLICY) as EventType[]).flatMap((eventType) =>
    (Object.keys(SHARING_POLICY[eventType]) as Audience[]).map((audience) => ({
      eventType,
      audience,
      rule: SHARING_POLICY[eventType][audience],
    })),
  );
}
