import { CE_SPEC_VERSION, CloudEvent } from '../envelope/cloud-event';
import { dataschemaFor, eventSourceFor } from '../envelope/cloud-event.codec';
import { EVENT_EXAMPLES } from '../events/event-examples';
import { EVENT_TYPES, EventMap, EventType, personalDataOf } from '../events/event-map';
import { pseudonymize } from '../identity/pseudonym';
import { AUDIENCES, ProducerService } from '../topology';
import { ConsentRecord, consentLookupFrom, NO_CONSENTS } from './consent';
import { decide, decideAll, Decision, DeliverDecision } from './decide';
import { PRODUCERS_OF } from './sharing-policy';
import { applyTransform, PolicyError } from './transform';

const KEY = 'test-pseudonym-key-of-32-bytes-at-least';
const NOW = new Date('2026-12-01T10:00:00Z');
const PRODUCER_SUBJECT = 'producer-local-child-id-42';

function eventOf<T extends EventType>(
  type: T,
  data: EventMap[T] = structuredClone(EVENT_EXAMPLES[type]),
  producer: ProducerService = PRODUCERS_OF[type][0],
): CloudEvent<T, EventMap[T]> {
  return {
    specversion: CE_SPEC_VERSION,
    id: '6f1d2c3b-4a59-4876-9e0d-1c2b3a495867',
    source: eventSourceFor(producer),
    type,
    time: '2026-12-01T10:00:00Z',
    subject: PRODUCER_SUBJECT,
    datacontenttype: 'application/json',
    dataschema: dataschemaFor(type),
    municipality: '0781',
    data,
  };
}

const CHILD_PNR = EVENT_EXAMPLES['samverkan.concern-report.filed.v1'].child.personnummer;

const consent = (overrides: Partial<ConsentRecord> = {}): ConsentRecord => ({
  consentId: 'c-1',
  personnummer: CHILD_PNR,
  parties: ['education', 'social-services'],
  informationKinds: ['interventions'],
  validFrom: '2026-11-25',
  validTo: '2027-06-30',
  ...overrides,
});

function delivered(decision: Decision): DeliverDecision {
  if (decision.outcome === 'withheld')
    throw new Error(`expected a delivery, got withheld (${decision.reason})`);
  return decision;
}

/** Every personal-data value in an example (strings found at the marked paths, arrays included). */
function personalValuesOf(type: EventType, data: unknown): string[] {
  const values: string[] = [];
  const collect = (node: unknown, segments: string[]): void => {
    if (segments.length === 0) {
      if (typeof node === 'string') values.push(node);
      else if (node && typeof node === 'object')
        values.push(...Object.values(node).filter((v) => typeof v === 'string'));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const [head, ...rest] = segments;
    const each = head.endsWith('[]');
    const child = (node as Record<string, unknown>)[each ? head.slice(0, -2) : head];
    if (each && Array.isArray(child)) child.forEach((item) => collect(item, rest));
    else if (!each) collect(child, rest);
  };
  for (const field of personalDataOf(type)) collect(data, field.path.split('.'));
  return values;
}

describe('decide + applyTransform: concern reports', () => {
  it('a filed report goes to social services in full under the duty to report', () => {
    const event = eventOf('samverkan.concern-report.filed.v1');
    const decision = delivered(decide(event, 'social-services', NO_CONSENTS, { now: NOW }));
    expect(decision).toMatchObject({ outcome: 'full', legalBasis: 'duty-to-report', identityLinked: true });
    const copy = applyTransform(event, decision, KEY)!;
    expect(copy.data).toEqual(event.data);
    expect(copy.legalbasis).toBe('duty-to-report');
  });

  it('a filed report goes nowhere else but (pseudonymized) to reporting', () => {
    const event = eventOf('samverkan.concern-report.filed.v1');
    expect(decide(event, 'education', NO_CONSENTS)).toMatchObject({
      outcome: 'withheld',
      reason: 'own-agency',
    });
    expect(decide(event, 'leisure', NO_CONSENTS)).toMatchObject({
      outcome: 'withheld',
      reason: 'no-legal-basis',
    });
    expect(decide(event, 'reporting', NO_CONSENTS)).toMatchObject({
      outcome: 'pseudonymized',
      identityLinked: false,
    });
  });

  it('feedback to the reporter carries nothing but the report id, the outcome and the date', () => {
    const event = eventOf('samverkan.concern-report.decided.v1');
    const decision = delivered(decide(event, 'education', NO_CONSENTS));
    expect(decision).toMatchObject({
      outcome: 'minimized',
      legalBasis: 'reporter-feedback',
      identityLinked: true,
    });
    const copy = applyTransform(event, decision, KEY)!;
    expect(copy.data).toEqual({
      reportId: event.data.reportId,
      outcome: 'investigation-opened',
      decidedAt: event.data.decidedAt,
    });
    expect(copy.subject).toBe(event.data.reportId);
    expect(copy.legalbasis).toBe('reporter-feedback');
    const json = JSON.stringify(copy);
    expect(json).not.toContain(CHILD_PNR);
    expect(json).not.toContain(PRODUCER_SUBJECT);
    expect(json).not.toContain('ifo-barn-unga');
    expect(json).not.toContain(event.data.receivedAt);
  });

  it('feedback goes only to the agency that reported', () => {
    const event = eventOf('samverkan.concern-report.decided.v1');
    expect(decide(event, 'leisure', NO_CONSENTS)).toMatchObject({
      outcome: 'withheld',
      reason: 'not-addressed',
    });
    const viaPhone = eventOf('samverkan.concern-report.decided.v1', {
      ...event.data,
      reporterUnit: undefined,
    });
    expect(decide(viaPhone, 'education', NO_CONSENTS)).toMatchObject({
      outcome: 'withheld',
      reason: 'not-addressed',
    });
  });

  it('the protection assessment and the investigation never reach the reporter', () => {
    for (const type of [
      'samverkan.concern-report.protection-assessed.v1',
      'samverkan.investigation.closed.v1',
    ] as const) {
      expect(decide(eventOf(type), 'education', NO_CONSENTS)).toMatchObject({
        outcome: 'withheld',
        reason: 'no-legal-basis',
      });
    }
  });
});

describe('decide: consent gate for interventions', () => {
  const started = eventOf('samverkan.intervention.started.v1', undefined, 'social-services');

  it('withholds without consent', () => {
    expect(decide(started, 'education', NO_CONSENTS, { now: NOW })).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-missing',
    });
  });

  it('delivers under a consent in force naming both agencies and the kind of information', () => {
    const decision = delivered(decide(started, 'education', consentLookupFrom([consent()]), { now: NOW }));
    expect(decision).toMatchObject({
      outcome: 'full',
      legalBasis: 'consent',
      consentId: 'c-1',
      identityLinked: true,
    });
    expect(applyTransform(started, decision, KEY)).toMatchObject({
      legalbasis: 'consent',
      data: started.data,
    });
  });

  it('works both ways: education → social services (Mobila teamet)', () => {
    const fromSchool = eventOf('samverkan.intervention.started.v1', undefined, 'education');
    expect(decide(fromSchool, 'social-services', consentLookupFrom([consent()]), { now: NOW })).toMatchObject(
      {
        outcome: 'full',
        consentId: 'c-1',
      },
    );
    expect(decide(fromSchool, 'social-services', NO_CONSENTS, { now: NOW })).toMatchObject({
      reason: 'consent-missing',
    });
    expect(decide(fromSchool, 'education', consentLookupFrom([consent()]), { now: NOW })).toMatchObject({
      reason: 'own-agency',
    });
  });

  it.each([
    ['names other agencies', consent({ parties: ['education', 'leisure'] })],
    ['covers another kind of information', consent({ informationKinds: ['school-attendance'] })],
    ['is about another child', consent({ personnummer: '191212121212' })],
  ])('withholds when the only consent %s', (_label, record) => {
    expect(decide(started, 'education', consentLookupFrom([record]), { now: NOW })).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-missing',
    });
  });

  it('a withdrawn consent blocks', () => {
    const lookup = consentLookupFrom([consent({ withdrawnAt: '2026-11-30T09:00:00Z' })]);
    expect(decide(started, 'education', lookup, { now: NOW })).toEqual({
      outcome: 'withheld',
      eventType: started.type,
      audience: 'education',
      reason: 'consent-withdrawn',
      consentId: 'c-1',
    });
  });

  it('an expired consent blocks, and one not yet valid blocks', () => {
    expect(
      decide(started, 'education', consentLookupFrom([consent({ validTo: '2026-11-30' })]), { now: NOW }),
    ).toMatchObject({ reason: 'consent-expired', consentId: 'c-1' });
    expect(
      decide(started, 'education', consentLookupFrom([consent({ validFrom: '2026-12-02' })]), { now: NOW }),
    ).toMatchObject({ reason: 'consent-not-yet-valid' });
  });

  it('judges validity dates on the Stockholm calendar, inclusive', () => {
    const lastDay = consentLookupFrom([consent({ validTo: '2026-12-01' })]);
    // 23:30 in Stockholm on the last day: still valid. 00:30 the next day: expired.
    expect(decide(started, 'education', lastDay, { now: new Date('2026-12-01T22:30:00Z') }).outcome).toBe(
      'full',
    );
    expect(decide(started, 'education', lastDay, { now: new Date('2026-12-01T23:30:00Z') })).toMatchObject({
      reason: 'consent-expired',
    });
  });

  it('another consent in force still allows when one was withdrawn', () => {
    const lookup = consentLookupFrom([
      consent({ withdrawnAt: '2026-11-30T09:00:00Z' }),
      consent({ consentId: 'c-2' }),
    ]);
    expect(decide(started, 'education', lookup, { now: NOW })).toMatchObject({
      outcome: 'full',
      consentId: 'c-2',
    });
  });

  it('course participation crosses to the referrer only under consent for that kind', () => {
    const enrolled = eventOf('samverkan.course.participant-enrolled.v1');
    const forCourses = consent({
      parties: ['leisure', 'social-services'],
      informationKinds: ['course-participation'],
    });
    expect(decide(enrolled, 'social-services', consentLookupFrom([forCourses]), { now: NOW }).outcome).toBe(
      'full',
    );
    expect(decide(enrolled, 'education', consentLookupFrom([forCourses]), { now: NOW })).toMatchObject({
      reason: 'consent-missing',
    });
  });

  it('an alias-only participant cannot be looked up for consent', () => {
    const waitlisted = eventOf('samverkan.course.participant-waitlisted.v1');
    expect(decide(waitlisted, 'social-services', NO_CONSENTS, { now: NOW })).toMatchObject({
      reason: 'no-identity-for-consent',
    });
  });
});

describe('decide: consent events reach the named parties', () => {
  it('granted: to the parties other than the producer', () => {
    const granted = eventOf('samverkan.consent.granted.v1');
    expect(decide(granted, 'social-services', NO_CONSENTS)).toMatchObject({
      outcome: 'full',
      consentId: granted.data.consentId,
    });
    expect(decide(granted, 'leisure', NO_CONSENTS)).toMatchObject({ reason: 'not-addressed' });
  });

  it('withdrawn: to the parties of the consent on record', () => {
    const withdrawn = eventOf('samverkan.consent.withdrawn.v1');
    const record = consent({ consentId: withdrawn.data.consentId });
    expect(decide(withdrawn, 'social-services', consentLookupFrom([record])).outcome).toBe('full');
    expect(decide(withdrawn, 'leisure', consentLookupFrom([record]))).toMatchObject({
      reason: 'not-addressed',
    });
    expect(decide(withdrawn, 'social-services', NO_CONSENTS)).toMatchObject({ reason: 'not-addressed' });
  });
});

describe('decide: protected identity', () => {
  const protectedChild = <T extends EventType>(type: T, producer?: ProducerService) => {
    const data = structuredClone(EVENT_EXAMPLES[type]) as EventMap[T] & {
      child: { protectedIdentity?: boolean };
    };
    data.child.protectedIdentity = true;
    return eventOf(type, data, producer);
  };

  it('reaches social services, keeping the reporter’s work contact', () => {
    const filed = protectedChild('samverkan.concern-report.filed.v1');
    const decision = delivered(decide(filed, 'social-services', NO_CONSENTS));
    expect(applyTransform(filed, decision, KEY)!.data).toEqual(filed.data);
  });

  it('reaches social services without address data even under consent', () => {
    const referred = protectedChild('samverkan.intervention.referred.v1', 'education');
    const decision = delivered(
      decide(referred, 'social-services', consentLookupFrom([consent()]), { now: NOW }),
    );
    expect(decision.removeFields).toEqual(['contact.email', 'contact.phone']);
    const copy = applyTransform(referred, decision, KEY)!;
    expect(JSON.stringify(copy)).not.toContain('070-123 45 67');
    expect(copy.data).toMatchObject({ referralId: referred.data.referralId, catalogCode: 'skilda-varldar' });
  });

  it('reaches no other agency, not even reporting or under consent', () => {
    const referred = protectedChild('samverkan.intervention.referred.v1', 'social-services');
    const everything = consentLookupFrom([consent({ parties: ['education', 'social-services', 'leisure'] })]);
    for (const audience of ['education', 'leisure', 'reporting'] as const) {
      expect(decide(referred, audience, everything, { now: NOW })).toMatchObject({
        reason: 'protected-identity',
      });
    }
  });
});

describe('decide: deny by default', () => {
  it('withholds an unknown event type', () => {
    const event = { ...eventOf('samverkan.course.scheduled.v1'), type: 'samverkan.course.cancelled.v1' };
    for (const audience of AUDIENCES) {
      expect(decide(event, audience, NO_CONSENTS)).toMatchObject({ outcome: 'withheld', reason: 'no-rule' });
    }
  });

  it('withholds an unknown audience', () => {
    expect(decide(eventOf('samverkan.course.scheduled.v1'), 'police' as never, NO_CONSENTS)).toMatchObject({
      reason: 'no-rule',
    });
  });

  it('withholds an event from a producer that may not raise it, or whose source contradicts its topic', () => {
    const forged = eventOf('samverkan.concern-report.decided.v1', undefined, 'education');
    expect(decide(forged, 'education', NO_CONSENTS)).toMatchObject({ reason: 'unknown-producer' });
    const real = eventOf('samverkan.concern-report.decided.v1');
    expect(decide(real, 'education', NO_CONSENTS, { producer: 'leisure' })).toMatchObject({
      reason: 'source-mismatch',
    });
    expect(decide({ ...real, source: 'https://elsewhere.example' }, 'education', NO_CONSENTS)).toMatchObject({
      reason: 'unknown-producer',
    });
    expect(decide(real, 'education', NO_CONSENTS, { producer: 'social-services' }).outcome).toBe('minimized');
  });
});

describe('applyTransform: reporting copies', () => {
  it.each(EVENT_TYPES)(
    '%s reaches reporting without personnummer, names, contact details or free text',
    (type) => {
      const event = eventOf(type);
      const decision = delivered(decide(event, 'reporting', NO_CONSENTS));
      expect(decision.outcome).toBe('pseudonymized');
      const copy = applyTransform(event, decision, KEY)!;
      const json = JSON.stringify(copy);
      const secrets = personalValuesOf(type, event.data);
      for (const secret of secrets)
        expect({ type, leaked: json.includes(secret) }).toEqual({ type, leaked: false });
      // Also the 10-digit and hyphenated spellings of any personnummer in the example.
      for (const pnr of secrets.filter((s) => /^\d{12}$/.test(s))) {
        expect(json).not.toContain(pnr.slice(2));
        expect(json).not.toContain(`${pnr.slice(2, 8)}-${pnr.slice(8)}`);
      }
      expect(copy.subject).toMatch(/^[0-9a-f]{64}$/);
      expect(json).not.toContain(PRODUCER_SUBJECT);
      expect(copy.legalbasis).toBe('statistics-pseudonymized');
    },
  );

  it('the filed report, spelled out: no child, reporter, contact or description', () => {
    const event = eventOf('samverkan.concern-report.filed.v1');
    const json = JSON.stringify(applyTransform(event, decide(event, 'reporting', NO_CONSENTS), KEY));
    for (const secret of [
      CHILD_PNR,
      'Testa Testsson',
      'Lärare Larsson',
      'larare@skola.example',
      '0372-123 45',
      'Eleven har varit borta',
    ]) {
      expect(json).not.toContain(secret);
    }
    expect(json).toContain('"categories":["neglect","school-absence"]');
  });

  it('gives one child one pseudonym across event types, and only the key holder can compute it', () => {
    const filed = eventOf('samverkan.concern-report.filed.v1');
    const started = eventOf('samverkan.intervention.started.v1');
    const a = applyTransform(filed, decide(filed, 'reporting', NO_CONSENTS), KEY)!;
    const b = applyTransform(started, decide(started, 'reporting', NO_CONSENTS), KEY)!;
    expect(a.subject).toBe(b.subject);
    expect(a.subject).toBe(pseudonymize(CHILD_PNR, KEY));
    const other = applyTransform(
      filed,
      decide(filed, 'reporting', NO_CONSENTS),
      'another-key-of-32-bytes-or-more!!',
    )!;
    expect(other.subject).not.toBe(a.subject);
  });

  it('replaces the producer subject of events about no identified child too', () => {
    const course = eventOf('samverkan.course.completed.v1');
    const copy = applyTransform(course, decide(course, 'reporting', NO_CONSENTS), KEY)!;
    expect(copy.subject).toMatch(/^[0-9a-f]{64}$/);
    expect(copy.subject).not.toBe(PRODUCER_SUBJECT);
    expect(copy.data).toEqual(course.data);
  });
});

describe('applyTransform', () => {
  it('returns null for a withheld decision', () => {
    const event = eventOf('samverkan.concern-report.filed.v1');
    expect(applyTransform(event, decide(event, 'leisure', NO_CONSENTS), KEY)).toBeNull();
  });

  it('never mutates the source event', () => {
    for (const type of EVENT_TYPES) {
      const event = eventOf(type);
      const before = structuredClone(event);
      for (const audience of AUDIENCES) {
        const decision = decide(event, audience, consentLookupFrom([consent()]), { now: NOW });
        applyTransform(event, decision, KEY);
      }
      expect(event).toEqual(before);
    }
  });

  it('refuses a decision made for another event type', () => {
    const filed = eventOf('samverkan.concern-report.filed.v1');
    const decided = eventOf('samverkan.concern-report.decided.v1');
    expect(() => applyTransform(decided, decide(filed, 'social-services', NO_CONSENTS), KEY)).toThrow(
      PolicyError,
    );
  });

  it('delivers course data without personal data in full, not identity-linked', () => {
    const scheduled = eventOf('samverkan.course.scheduled.v1');
    expect(decide(scheduled, 'education', NO_CONSENTS)).toMatchObject({
      outcome: 'full',
      legalBasis: 'no-personal-data',
      identityLinked: false,
    });
  });
});

describe('decideAll', () => {
  it('decides for every audience at one instant', () => {
    const started = eventOf('samverkan.intervention.started.v1', undefined, 'social-services');
    const decisions = decideAll(started, consentLookupFrom([consent()]), { now: NOW });
    expect(decisions.map((d) => [d.audience, d.outcome])).toEqual([
      ['education', 'full'],
      ['social-services', 'withheld'],
      ['leisure', 'withheld'],
      ['reporting', 'pseudonymized'],
    ]);
  });
});

describe('decide: referrals to leisure', () => {
  const referral = (catalogCode: string) =>
    eventOf('samverkan.intervention.referred.v1', {
      ...structuredClone(EVENT_EXAMPLES['samverkan.intervention.referred.v1']),
      catalogCode,
    });
  const withLeisure = consentLookupFrom([
    consent({ parties: ['social-services', 'leisure'], informationKinds: ['interventions'] }),
  ]);

  it('a referral to a course programme reaches leisure in full under a consent naming both agencies', () => {
    const event = referral('skilda-varldar');
    const decision = delivered(decide(event, 'leisure', withLeisure, { now: NOW }));
    expect(decision).toMatchObject({ outcome: 'full', legalBasis: 'consent', consentId: 'c-1' });
    expect(applyTransform(event, decision, KEY)!.data).toEqual(event.data);
  });

  it('is withheld from leisure without a consent that names leisure', () => {
    expect(decide(referral('skilda-varldar'), 'leisure', NO_CONSENTS, { now: NOW })).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-missing',
    });
    expect(decide(referral('komet'), 'leisure', consentLookupFrom([consent()]), { now: NOW })).toMatchObject({
      outcome: 'withheld',
      reason: 'consent-missing',
    });
  });

  it.each(['familjebehandling', 'mobila-teamet', 'sip', 'rad-och-stodsamtal'])(
    'a referral to %s (not a course) never reaches leisure, even under consent',
    (code) => {
      expect(decide(referral(code), 'leisure', withLeisure, { now: NOW })).toMatchObject({
        outcome: 'withheld',
        reason: 'not-addressed',
      });
    },
  );

  it('leaves referrals to education and social services as they were', () => {
    const everyone = consentLookupFrom([
      consent({ parties: ['education', 'social-services', 'leisure'], informationKinds: ['interventions'] }),
    ]);
    expect(decide(referral('familjebehandling'), 'education', everyone, { now: NOW }).outcome).toBe('full');
  });
});
