import {
  type CloudEvent,
  type ConsentRecord,
  createEvent,
  type Decision,
  EVENT_EXAMPLES,
  type EventMap,
  type EventType,
  eventSourceFor,
  pseudonymize,
  type ProducerService,
} from '@samverkan/contracts';
import { RouterKeys } from '../config/router-keys';
import { RouterMetrics } from '../metrics/router-metrics';
import { routeEvent, type RouteResult } from './route-event';
import { RouterTopics } from './router-topics';

const SECRET = 'unit-test-router-key-with-at-least-32-bytes!';
const keys = new RouterKeys(Buffer.from(SECRET));
const topics = new RouterTopics('samverkan');
const NOW = new Date('2026-12-01T10:00:00Z');
const PRODUCER_SUBJECT = 'producer-subject-17';
const PNR = EVENT_EXAMPLES['samverkan.concern-report.filed.v1'].child.personnummer;

function eventOf<T extends EventType>(
  type: T,
  producer: ProducerService,
  data?: Partial<EventMap[T]>,
): CloudEvent {
  return createEvent(type, {
    source: eventSourceFor(producer),
    subject: PRODUCER_SUBJECT,
    municipality: '0781',
    data: { ...structuredClone(EVENT_EXAMPLES[type]), ...data },
  });
}

function route(
  event: CloudEvent,
  producer: ProducerService,
  consents: Omit<ConsentRecord, 'personnummer'>[] = [],
  recorded?: Map<Decision['audience'], Decision>,
): RouteResult {
  return routeEvent({ event, producer, consents, recorded, keys, topics, now: NOW });
}

const byAudience = (result: RouteResult, audience: string) =>
  result.decisions.find((d) => d.audience === audience);
const copyTo = (result: RouteResult, audience: string) => result.copies.find((c) => c.audience === audience);

const consent = (overrides: Partial<Omit<ConsentRecord, 'personnummer'>> = {}) => ({
  consentId: EVENT_EXAMPLES['samverkan.consent.granted.v1'].consentId,
  parties: ['education', 'social-services'] as const,
  informationKinds: ['interventions'] as const,
  validFrom: '2026-11-25',
  validTo: '2027-06-30',
  ...overrides,
});

describe('routeEvent: the policy applied per audience', () => {
  it('a filed report: full to social services under the duty to report, pseudonymized to reporting, withheld elsewhere', () => {
    const event = eventOf('samverkan.concern-report.filed.v1', 'education');
    const result = route(event, 'education');

    expect(result.decisions.map((d) => [d.audience, d.outcome])).toEqual([
      ['education', 'withheld'],
      ['social-services', 'full'],
      ['leisure', 'withheld'],
      ['reporting', 'pseudonymized'],
    ]);
    expect(byAudience(result, 'education')).toMatchObject({ reason: 'own-agency' });
    expect(byAudience(result, 'leisure')).toMatchObject({ reason: 'no-legal-basis' });
    expect(result.fresh).toHaveLength(4);
    expect(result.copies.map((c) => c.topic)).toEqual([
      'samverkan.audience.social-services',
      'samverkan.audience.reporting',
    ]);

    const full = copyTo(result, 'social-services')!.event;
    expect(full.legalbasis).toBe('duty-to-report');
    expect(full.data).toEqual(event.data);
    expect(full.id).toBe(event.id);
    expect(full.source).toBe('/samverkan/education');
    // The producer's own subject id stays home; the recipient gets its own stable pseudonym of the child.
    expect(full.subject).toBe(keys.audienceSubject('social-services', PNR));
    expect(full.subject).not.toBe(PRODUCER_SUBJECT);

    const pseudo = copyTo(result, 'reporting')!.event;
    expect(pseudo.legalbasis).toBe('statistics-pseudonymized');
    expect(pseudo.subject).toBe(pseudonymize(PNR, SECRET));
    const everything = JSON.stringify(pseudo);
    const filed = EVENT_EXAMPLES['samverkan.concern-report.filed.v1'];
    for (const leak of [PNR, filed.child.name, filed.description, filed.reporter.name, PRODUCER_SUBJECT]) {
      expect(everything).not.toContain(leak);
    }
    expect(pseudo.data).toMatchObject({ categories: filed.categories, immediateDanger: false });
  });

  it('subjects differ per audience and from the reporting pseudonym', () => {
    const subjects = new Set([
      keys.audienceSubject('education', PNR),
      keys.audienceSubject('social-services', PNR),
      keys.reportingPseudonym(PNR),
      keys.internalPseudonym(PNR),
    ]);
    expect(subjects.size).toBe(4);
    expect(keys.reportingPseudonym(PNR)).toBe(pseudonymize(PNR, SECRET));
  });

  it('a decision goes to the reporter minimized to report id, outcome and date', () => {
    const event = eventOf('samverkan.concern-report.decided.v1', 'social-services');
    const result = route(event, 'social-services');
    const copy = copyTo(result, 'education')!.event;
    expect(copy.legalbasis).toBe('reporter-feedback');
    expect(copy.data).toEqual({
      reportId: EVENT_EXAMPLES['samverkan.concern-report.decided.v1'].reportId,
      outcome: 'investigation-opened',
      decidedAt: EVENT_EXAMPLES['samverkan.concern-report.decided.v1'].decidedAt,
    });
    expect(copy.subject).toBe(EVENT_EXAMPLES['samverkan.concern-report.decided.v1'].reportId);
    expect(copyTo(result, 'leisure')).toBeUndefined();
    expect(byAudience(result, 'leisure')).toMatchObject({ outcome: 'withheld', reason: 'not-addressed' });
  });

  it('an intervention crosses agencies only under a consent in force naming both and the kind', () => {
    const started = eventOf('samverkan.intervention.started.v1', 'social-services', {
      organisationUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
    });
    const without = route(started, 'social-services');
    expect(byAudience(without, 'education')).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-missing',
    });
    expect(copyTo(without, 'education')).toBeUndefined();

    const under = route(started, 'social-services', [consent()]);
    expect(byAudience(under, 'education')).toMatchObject({
      outcome: 'full',
      legalBasis: 'consent',
      consentId: consent().consentId,
    });
    expect(copyTo(under, 'education')!.event.legalbasis).toBe('consent');
    // Leisure is not named in the consent.
    expect(byAudience(under, 'leisure')).toMatchObject({ outcome: 'withheld', reason: 'consent-missing' });

    const withdrawn = route(started, 'social-services', [consent({ withdrawnAt: '2026-11-30T12:00:00Z' })]);
    expect(byAudience(withdrawn, 'education')).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-withdrawn',
      consentId: consent().consentId,
    });
    expect(copyTo(withdrawn, 'education')).toBeUndefined();

    const otherKind = route(started, 'social-services', [
      consent({ informationKinds: ['school-attendance'] }),
    ]);
    expect(byAudience(otherKind, 'education')).toMatchObject({ reason: 'consent-missing' });
  });

  it('every copy carries ce_legalbasis', () => {
    for (const [type, producer] of [
      ['samverkan.concern-report.filed.v1', 'education'],
      ['samverkan.consent.granted.v1', 'education'],
      ['samverkan.course.scheduled.v1', 'leisure'],
      ['samverkan.concern-report.decided.v1', 'social-services'],
    ] as const) {
      const result = route(eventOf(type, producer), producer, [consent()]);
      expect(result.copies.length).toBeGreaterThan(0);
      for (const copy of result.copies) expect(copy.event.legalbasis).toMatch(/^[a-z-]+$/);
    }
  });

  it('deny by default: an event whose ce_source contradicts its topic goes nowhere', () => {
    const event = eventOf('samverkan.concern-report.filed.v1', 'education');
    const result = route(event, 'leisure');
    expect(result.copies).toEqual([]);
    expect(result.decisions.every((d) => d.outcome === 'withheld' && d.reason === 'source-mismatch')).toBe(
      true,
    );
  });

  it('replays recorded decisions instead of deciding again', () => {
    const started = eventOf('samverkan.intervention.started.v1', 'social-services', {
      organisationUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
    });
    const first = route(started, 'social-services');
    const recorded = new Map(first.decisions.map((d) => [d.audience, d]));
    // A consent arrived since: the replay still delivers what the log says was decided.
    const replay = route(started, 'social-services', [consent()], recorded);
    expect(replay.fresh).toEqual([]);
    expect(replay.decisions).toEqual(first.decisions);
    expect(replay.copies.map((c) => c.audience)).toEqual(first.copies.map((c) => c.audience));
    expect(copyTo(replay, 'education')).toBeUndefined();
  });

  it('topics follow the namespace, and the producer is the topic, not ce_source', () => {
    const scoped = new RouterTopics('samverkan.test.x1');
    expect(scoped.sources).toEqual([
      'samverkan.test.x1.source.education',
      'samverkan.test.x1.source.social-services',
      'samverkan.test.x1.source.leisure',
    ]);
    expect(scoped.producerOf('samverkan.test.x1.source.leisure')).toBe('leisure');
    expect(scoped.producerOf('samverkan.source.leisure')).toBeUndefined();
    expect(scoped.audience('reporting')).toBe('samverkan.test.x1.audience.reporting');
  });
});

describe('RouterMetrics', () => {
  it('counts withholdings with their reason', async () => {
    const metrics = new RouterMetrics();
    const result = route(eventOf('samverkan.concern-report.filed.v1', 'education'), 'education');
    metrics.countDecisions(result.fresh);
    metrics.countDecisions(result.fresh);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'samverkan_router_decisions_total{event_type="samverkan.concern-report.filed.v1",audience="education",outcome="withheld",reason="own-agency"} 2',
    );
    expect(text).toContain(
      'samverkan_router_decisions_total{event_type="samverkan.concern-report.filed.v1",audience="reporting",outcome="pseudonymized",reason=""} 2',
    );
    expect(text).not.toContain(PNR);
  });
});
