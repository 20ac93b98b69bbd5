import { validateEventData } from '../envelope';
import { EVENT_EXAMPLES } from './event-examples';
import {
  EVENT_CLASSES,
  EVENT_TYPES,
  EventMap,
  EventType,
  personalDataFieldsOf,
  personalDataOf,
  withoutPersonalData,
} from './event-map';
import { EVENT_TYPE_PATTERN } from './common/formats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const clone = <T>(v: T): Loose => structuredClone(v) as Loose;

describe('event classes', () => {
  it('covers every event of the design table, each named by the type pattern', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'samverkan.concern-report.filed.v1',
        'samverkan.concern-report.protection-assessed.v1',
        'samverkan.concern-report.decided.v1',
        'samverkan.investigation.closed.v1',
        'samverkan.intervention.referred.v1',
        'samverkan.intervention.started.v1',
        'samverkan.intervention.ended.v1',
        'samverkan.consent.granted.v1',
        'samverkan.consent.withdrawn.v1',
        'samverkan.school-absence.flagged.v1',
        'samverkan.course.scheduled.v1',
        'samverkan.course.participant-enrolled.v1',
        'samverkan.course.participant-waitlisted.v1',
        'samverkan.course.participant-withdrawn.v1',
        'samverkan.course.attendance-recorded.v1',
        'samverkan.course.participant-completed.v1',
        'samverkan.course.completed.v1',
        'samverkan.course.places-available.v1',
      ].sort(),
    );
    for (const type of EVENT_TYPES) expect(type).toMatch(EVENT_TYPE_PATTERN);
    expect(new Set(Object.values(EVENT_CLASSES)).size).toBe(EVENT_TYPES.length);
  });

  it.each(EVENT_TYPES)('%s: the example is valid', (type) => {
    expect(validateEventData(type, EVENT_EXAMPLES[type])).toEqual([]);
  });

  it.each(EVENT_TYPES)(
    '%s: an unknown property is rejected at the top and in every nested object',
    (type) => {
      const data = clone(EVENT_EXAMPLES[type]);
      data.unexpected = true;
      const nestedKeys = Object.keys(data).filter(
        (k) => data[k] && typeof data[k] === 'object' && !Array.isArray(data[k]),
      );
      for (const k of nestedKeys) data[k].unexpected = true;
      const fields = validateEventData(type, data).map((i) => i.field);
      expect(fields.sort()).toEqual(['unexpected', ...nestedKeys.map((k) => `${k}.unexpected`)].sort());
    },
  );

  it('checks catalog codes, and course events accept only course programme kinds', () => {
    const started = clone(EVENT_EXAMPLES['samverkan.intervention.started.v1']);
    started.catalogCode = 'not-a-programme';
    expect(validateEventData('samverkan.intervention.started.v1', started)).toEqual([
      { field: 'catalogCode', message: 'must be an intervention catalog code' },
    ]);
    const scheduled = clone(EVENT_EXAMPLES['samverkan.course.scheduled.v1']);
    scheduled.catalogCode = 'mobila-teamet'; // a team, not a course
    expect(validateEventData('samverkan.course.scheduled.v1', scheduled)).toEqual([
      {
        field: 'catalogCode',
        message: 'must be an intervention catalog code of kind parent-program or child-group',
      },
    ]);
  });

  it('reports nested array elements by index', () => {
    const scheduled = clone(EVENT_EXAMPLES['samverkan.course.scheduled.v1']);
    scheduled.sessions[2].minutes = 5;
    scheduled.sessions[4].date = '2027-02-30';
    expect(validateEventData('samverkan.course.scheduled.v1', scheduled).map((i) => i.field)).toEqual([
      'sessions.2.minutes',
      'sessions.4.date',
    ]);
  });

  it('lets a course participant go without personnummer only with an alias', () => {
    const type = 'samverkan.course.participant-enrolled.v1';
    const data = clone(EVENT_EXAMPLES[type]);
    data.participant = { role: 'parent', alias: 'L:s mamma' };
    expect(validateEventData(type, data)).toEqual([]);
    data.participant = { role: 'parent', contact: { phone: '070-123 45 67' } };
    expect(new Set(validateEventData(type, data).map((i) => i.field))).toEqual(new Set(['participant.alias']));
  });

  it('requires a referral id for referral enrolments', () => {
    const type = 'samverkan.course.participant-enrolled.v1';
    const data = clone(EVENT_EXAMPLES[type]);
    delete data.referralId;
    expect(validateEventData(type, data).map((i) => i.field)).toEqual(['referralId']);
    data.channel = 'self-registration';
    expect(validateEventData(type, data)).toEqual([]);
  });

  it('requires a canonical 12-digit personnummer', () => {
    const data = clone(EVENT_EXAMPLES['samverkan.consent.granted.v1']);
    data.child.personnummer = '150515-2387'; // valid number, but not the wire form
    expect(validateEventData('samverkan.consent.granted.v1', data).map((i) => i.field)).toEqual([
      'child.personnummer',
    ]);
  });
});

describe('personal data marks', () => {
  it('lists identity, name, contact and free-text fields of a concern report as dotted paths', () => {
    expect(personalDataOf('samverkan.concern-report.filed.v1')).toEqual(
      expect.arrayContaining([
        { path: 'child.personnummer', kind: 'identity' },
        { path: 'child.name', kind: 'name' },
        { path: 'reporter.name', kind: 'name' },
        { path: 'reporter.contact.email', kind: 'contact' },
        { path: 'reporter.contact.phone', kind: 'contact' },
        { path: 'description', kind: 'free-text' },
      ]),
    );
    expect(personalDataFieldsOf('samverkan.concern-report.filed.v1')).toHaveLength(6);
    expect(personalDataFieldsOf('samverkan.concern-report.filed.v1', ['identity'])).toEqual([
      'child.personnummer',
    ]);
  });

  it('has no personal data in course-level counts', () => {
    expect(personalDataFieldsOf('samverkan.course.completed.v1')).toEqual([]);
  });

  it.each(EVENT_TYPES)('%s: withoutPersonalData leaves no marked value behind', (type) => {
    const example = EVENT_EXAMPLES[type] as unknown as Loose;
    const values = personalDataFieldsOf(type)
      .map((path) =>
        path.split('.').reduce<unknown>((node, key) => (node as Loose | undefined)?.[key], example),
      )
      .filter((v): v is string => typeof v === 'string');
    const stripped = JSON.stringify(withoutPersonalData(type, example));
    for (const v of values) expect(stripped).not.toContain(v);
    // Every personnummer in an example is marked: none survives stripping.
    expect(stripped).not.toMatch(/\d{12}/);
  });
});

describe('typed event map', () => {
  it('rejects a wrong payload at compile time', () => {
    const wrong: EventMap['samverkan.concern-report.decided.v1'] = {
      ...EVENT_EXAMPLES['samverkan.concern-report.decided.v1'],
      // @ts-expect-error outcome is a closed code list
      outcome: 'maybe',
    };
    // @ts-expect-error not an event type
    const type: EventType = 'samverkan.concern-report.teleported.v1';
    expect(validateEventData('samverkan.concern-report.decided.v1', wrong)).toHaveLength(1);
    expect(type).toBeDefined();
  });
});
