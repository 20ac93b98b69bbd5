import { addCalendarDays } from '@samverkan/calendar';
import { catalogEntry } from '@samverkan/contracts';
import { validateRequest } from '@samverkan/platform';
import {
  courseBasis,
  courseRuleErrors,
  isCloseToStart,
  sessionsStarted,
  takesParticipants,
} from './course-rules';
import { CourseQuery, ScheduleCourseRequest } from './course.dto';

const AF = catalogEntry('aktivt-foraldraskap-3-12')!;
const TODAY = '2027-01-04';

/** Six weekly sessions of 180 minutes from 2027-01-11, as Aktivt föräldraskap 3–12 prescribes. */
function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    programmeCode: AF.code,
    organisingUnit: 'fritid-norr',
    municipality: '0781',
    district: 'norr',
    capacity: 12,
    sessions: Array.from({ length: 6 }, (_, i) => ({
      number: i + 1,
      date: addCalendarDays('2027-01-11', 7 * i),
      startTime: '18:00',
      minutes: 180,
    })),
    language: 'sv',
    location: 'Fritidsgården Norr',
    targetAges: { min: 3, max: 12 },
    ...overrides,
  };
}

async function valid(value: Record<string, unknown>): Promise<ScheduleCourseRequest> {
  const outcome = await validateRequest(ScheduleCourseRequest, value);
  if (!outcome.ok) throw new Error(`unexpected: ${JSON.stringify(outcome.fields)}`);
  return outcome.value;
}

async function fieldsOf(value: Record<string, unknown>): Promise<string[]> {
  const outcome = await validateRequest(ScheduleCourseRequest, value);
  if (outcome.ok) throw new Error('expected a 400');
  return outcome.fields.map((f) => f.field);
}

describe('ScheduleCourseRequest (400 per field)', () => {
  it('accepts a complete course', async () => {
    const request = await valid(body());
    expect(courseRuleErrors(request, AF, TODAY)).toEqual([]);
  });

  it.each([
    ['programmeCode', { programmeCode: 'not-a-programme' }],
    ['organisingUnit', { organisingUnit: 'no spaces allowed' }],
    ['municipality', { municipality: '781' }],
    ['district', { district: '' }],
    ['capacity', { capacity: 0 }],
    ['sessions', { sessions: [] }],
    ['language', { language: 'swedish' }],
    ['location', { location: '' }],
    ['targetAges.min', { targetAges: { min: -1, max: 12 } }],
    ['basis', { basis: 'sometimes' }],
    ['nickname', { nickname: 'x' }],
  ])('names %s', async (field, override) => {
    expect(await fieldsOf(body(override))).toEqual([field]);
  });

  it('names each invalid session field with its index', async () => {
    const sessions = (body().sessions as Array<Record<string, unknown>>).map((s, i) =>
      i === 2 ? { ...s, date: '2027-02-30', minutes: 5, startTime: '25:00' } : s,
    );
    expect((await fieldsOf(body({ sessions }))).sort()).toEqual(
      ['sessions.2.date', 'sessions.2.minutes', 'sessions.2.startTime'].sort(),
    );
  });

  it('never echoes the value in a message', async () => {
    const outcome = await validateRequest(ScheduleCourseRequest, body({ municipality: 'SECRET-VALUE' }));
    expect(JSON.stringify(outcome)).not.toContain('SECRET-VALUE');
  });
});

describe('courseRuleErrors: the catalog decides', () => {
  it('refuses a programme that is not run as a course', async () => {
    const request = await valid(body({ programmeCode: 'familjebehandling' }));
    expect(courseRuleErrors(request, catalogEntry('familjebehandling')!, TODAY).map((e) => e.field)).toEqual([
      'programmeCode',
    ]);
  });

  it('keeps target ages within the programme’s', async () => {
    expect(courseRuleErrors(await valid(body({ targetAges: { min: 2, max: 12 } })), AF, TODAY)).toEqual([
      expect.objectContaining({ field: 'targetAges' }),
    ]);
    expect(courseRuleErrors(await valid(body({ targetAges: { min: 10, max: 5 } })), AF, TODAY)).toEqual([
      expect.objectContaining({ field: 'targetAges.max' }),
    ]);
  });

  it('holds the session plan: count, length, order and interval', async () => {
    const sessions = body().sessions as Array<Record<string, unknown>>;
    expect(courseRuleErrors(await valid(body({ sessions: sessions.slice(0, 5) })), AF, TODAY)).toEqual([
      { field: 'sessions', message: "sessions must be the programme's 6 sessions" },
    ]);
    const shorter = sessions.map((s, i) => (i === 1 ? { ...s, minutes: 120 } : s));
    expect(courseRuleErrors(await valid(body({ sessions: shorter })), AF, TODAY).map((e) => e.field)).toEqual(
      ['sessions.1.minutes'],
    );
    const tooClose = sessions.map((s, i) => (i === 1 ? { ...s, date: '2027-01-13' } : s));
    expect(
      courseRuleErrors(await valid(body({ sessions: tooClose })), AF, TODAY).map((e) => e.field),
    ).toEqual(['sessions.1.date']);
    const renumbered = sessions.map((s, i) => ({ ...s, number: 6 - i }));
    expect(courseRuleErrors(await valid(body({ sessions: renumbered })), AF, TODAY).length).toBeGreaterThan(
      0,
    );
  });

  it('lets sessions share a day, one after the other, only where the plan sets no interval', async () => {
    const small = catalogEntry('aktiva-smabarnsforaldrar-1-4')!;
    const sameDay = (times: Array<string | undefined>) =>
      times.map((t, i) => ({
        number: i + 1,
        date: '2027-01-11',
        ...(t ? { startTime: t } : {}),
        minutes: 120,
      }));
    const request = async (sessions: unknown) =>
      valid(body({ programmeCode: small.code, targetAges: { min: 1, max: 4 }, sessions }));
    expect(
      courseRuleErrors(await request(sameDay(['08:00', '10:00', '12:00', '14:00'])), small, TODAY),
    ).toEqual([]);
    expect(
      courseRuleErrors(await request(sameDay(['08:00', '10:00', '10:00', '14:00'])), small, TODAY).map(
        (e) => e.field,
      ),
    ).toEqual(['sessions.2.date']);
    expect(
      courseRuleErrors(await request(sameDay([undefined, undefined, undefined, undefined])), small, TODAY)
        .length,
    ).toBe(3);
    const weekly = (body().sessions as Array<Record<string, unknown>>).map((s, i) =>
      i === 1 ? { ...s, date: '2027-01-11', startTime: '21:00' } : s,
    );
    expect(
      courseRuleErrors(await valid(body({ sessions: weekly })), AF, TODAY).map((e) => e.field),
    ).toContain('sessions.1.date');
  });

  it('refuses a first session in the past, a basis the programme does not allow, and too many places', async () => {
    expect(courseRuleErrors(await valid(body()), AF, '2027-01-12').map((e) => e.field)).toEqual([
      'sessions.0.date',
    ]);
    expect(
      courseRuleErrors(await valid(body({ basis: 'after-decision' })), AF, TODAY).map((e) => e.field),
    ).toEqual(['basis']);
    expect(courseRuleErrors(await valid(body({ capacity: 15 })), AF, TODAY).map((e) => e.field)).toEqual([
      'capacity',
    ]);
  });

  it('gives a course as a service when the programme may be given so', () => {
    expect(courseBasis(undefined, AF)).toBe('service-without-needs-assessment');
    expect(courseBasis('after-decision', catalogEntry('komet')!)).toBe('after-decision');
  });
});

describe('late enrolment and "close to the start"', () => {
  const sessions = [
    { number: 1, date: '2027-01-11', startTime: '18:00', minutes: 180 },
    { number: 2, date: '2027-01-18', startTime: '18:00', minutes: 180 },
    { number: 3, date: '2027-01-25', startTime: '18:00', minutes: 180 },
  ];

  it('counts sessions begun by the Stockholm clock, or by recorded attendance', () => {
    expect(sessionsStarted(sessions, new Date('2027-01-11T16:59:00Z'))).toBe(0);
    expect(sessionsStarted(sessions, new Date('2027-01-11T17:00:00Z'))).toBe(1);
    expect(sessionsStarted(sessions, new Date('2027-01-01T00:00:00Z'), 2)).toBe(2);
  });

  it('follows the programme rule (Aktivt föräldraskap: before session 2 starts)', () => {
    expect(takesParticipants(AF, sessions, new Date('2027-01-10T12:00:00Z'))).toEqual({
      open: true,
      late: false,
    });
    expect(takesParticipants(AF, sessions, new Date('2027-01-12T12:00:00Z'))).toEqual({
      open: true,
      late: true,
    });
    expect(takesParticipants(AF, sessions, new Date('2027-01-19T12:00:00Z')).open).toBe(false);
    expect(takesParticipants(catalogEntry('opp')!, sessions, new Date('2027-01-19T12:00:00Z')).open).toBe(
      true,
    );
  });

  it('is close to the start within the window, not after the start', () => {
    expect(isCloseToStart('2027-01-11', new Date('2026-12-28T12:00:00Z'), 14)).toBe(true);
    expect(isCloseToStart('2027-01-11', new Date('2026-12-27T12:00:00Z'), 14)).toBe(false);
    expect(isCloseToStart('2027-01-11', new Date('2027-01-12T12:00:00Z'), 14)).toBe(false);
  });
});

describe('CourseQuery', () => {
  it('reads hasPlaces=true, takes empty parameters as any, and rejects anything else', async () => {
    expect(await validateRequest(CourseQuery, { hasPlaces: 'true', program: 'abc' }, 'query')).toMatchObject({
      ok: true,
      value: { hasPlaces: true, program: 'abc', limit: 50 },
    });
    expect(await validateRequest(CourseQuery, { program: '', district: '', hasPlaces: '' }, 'query')).toEqual(
      {
        ok: true,
        value: { limit: 50 },
      },
    );
    const outcome = await validateRequest(CourseQuery, { hasPlaces: 'yes', program: 'nope' }, 'query');
    expect(outcome.ok ? [] : outcome.fields.map((f) => f.field).sort()).toEqual(['hasPlaces', 'program']);
  });
});
