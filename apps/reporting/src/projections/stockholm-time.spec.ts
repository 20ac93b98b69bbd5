import { CalendarError, concernReportDeadlines, localDateOf, WorkingDayCalendar } from '@samverkan/calendar';
import { concernReportDueTimesAt, stockholmDateAt, stockholmTimeMemo } from './stockholm-time';

// The memo must answer exactly as @samverkan/calendar does, for every instant: compared here against
// the library itself over DST switch days, local midnights, office closing time and holidays.

const calendar = new WorkingDayCalendar();
const MINUTE = 60_000;

function expectSameAsLibrary(ms: number): void {
  const instant = new Date(ms);
  const library = concernReportDeadlines(instant, { calendar });
  expect({ at: instant.toISOString(), date: stockholmDateAt(ms), due: concernReportDueTimesAt(ms) }).toEqual({
    at: instant.toISOString(),
    date: localDateOf(instant),
    due: {
      protectionAssessmentDue: library.protectionAssessmentDue.getTime(),
      decisionDue: library.decisionDue.getTime(),
    },
  });
}

/** Every `stepMinutes` from `from` (inclusive) to `to` (exclusive), plus the last ms before each hour. */
function sweep(from: string, to: string, stepMinutes: number): number[] {
  const out: number[] = [];
  for (let ms = Date.parse(from); ms < Date.parse(to); ms += stepMinutes * MINUTE) out.push(ms);
  for (let h = Math.ceil(Date.parse(from) / 3_600_000); h * 3_600_000 < Date.parse(to); h++)
    out.push(h * 3_600_000 - 1);
  return out;
}

describe('stockholm-time (memoized local dates and concern-report deadlines)', () => {
  beforeEach(() => stockholmTimeMemo.clear());

  it('spring forward (last Sunday of March, 02:00 → 03:00): the same as the library minute by minute', () => {
    // 2026-03-29 01:00 UTC; from Saturday morning to Monday evening, both before and after warm-up.
    const instants = sweep('2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z', 7);
    for (const ms of instants) expectSameAsLibrary(ms);
    for (const ms of instants) expectSameAsLibrary(ms);
    expect(stockholmDateAt(Date.parse('2026-03-28T22:59:59.999Z'))).toBe('2026-03-28');
    expect(stockholmDateAt(Date.parse('2026-03-28T23:00:00.000Z'))).toBe('2026-03-29');
    // After the switch the local day starts at 22:00 UTC.
    expect(stockholmDateAt(Date.parse('2026-03-29T21:59:59.999Z'))).toBe('2026-03-29');
    expect(stockholmDateAt(Date.parse('2026-03-29T22:00:00.000Z'))).toBe('2026-03-30');
  });

  it('fall back (last Sunday of October, 03:00 → 02:00): the same as the library minute by minute', () => {
    // 2026-10-25 01:00 UTC: the local hour 02:00–03:00 happens twice.
    const instants = sweep('2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', 7);
    for (const ms of instants) expectSameAsLibrary(ms);
    for (const ms of instants) expectSameAsLibrary(ms);
    expect(stockholmDateAt(Date.parse('2026-10-24T21:59:59.999Z'))).toBe('2026-10-24');
    expect(stockholmDateAt(Date.parse('2026-10-24T22:00:00.000Z'))).toBe('2026-10-25');
    expect(stockholmDateAt(Date.parse('2026-10-25T22:59:59.999Z'))).toBe('2026-10-25');
    expect(stockholmDateAt(Date.parse('2026-10-25T23:00:00.000Z'))).toBe('2026-10-26');
  });

  it('office closing time (17:00 local) splits the protection deadline exactly, in winter and summer', () => {
    // Thursday 2026-01-15 (CET, 17:00 = 16:00 UTC) and Thursday 2026-06-11 (CEST, 17:00 = 15:00 UTC).
    for (const [before, at] of [
      ['2026-01-15T15:59:59.999Z', '2026-01-15T16:00:00.000Z'],
      ['2026-06-11T14:59:59.999Z', '2026-06-11T15:00:00.000Z'],
    ]) {
      expectSameAsLibrary(Date.parse(before));
      expectSameAsLibrary(Date.parse(at));
      const inTime = concernReportDueTimesAt(Date.parse(before)).protectionAssessmentDue;
      const late = concernReportDueTimesAt(Date.parse(at)).protectionAssessmentDue;
      // Before closing: due the same day; at closing: due the next working day (Friday).
      expect(late - inTime).toBe(86_400_000);
    }
  });

  it('holidays and weekends: the same as the library across Easter, midsommar and Christmas', () => {
    for (const [from, to] of [
      ['2026-04-02T00:00:00Z', '2026-04-07T00:00:00Z'],
      ['2026-06-18T00:00:00Z', '2026-06-23T00:00:00Z'],
      ['2026-12-23T00:00:00Z', '2026-12-28T00:00:00Z'],
    ])
      for (const ms of sweep(from, to, 13)) expectSameAsLibrary(ms);
  });

  it('random instants 1990–2040: the same as the library', () => {
    // A fixed linear congruential sequence: the same instants every run.
    let seed = 20261123;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = Date.parse('1990-01-01T00:00:00Z');
    const span = Date.parse('2040-01-01T00:00:00Z') - from;
    for (let i = 0; i < 3000; i++) expectSameAsLibrary(from + Math.floor(next() * span));
  });

  it('caches per hour: a second instant in a known hour does not touch Intl', () => {
    const formatToParts = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      stockholmDateAt(Date.parse('2026-05-04T09:00:00Z'));
      concernReportDueTimesAt(Date.parse('2026-05-04T09:00:00Z'));
      const warm = formatToParts.mock.calls.length;
      expect(warm).toBeGreaterThan(0);
      for (let m = 1; m < 60; m++) {
        stockholmDateAt(Date.parse('2026-05-04T09:00:00Z') + m * MINUTE);
        concernReportDueTimesAt(Date.parse('2026-05-04T09:00:00Z') + m * MINUTE + 59_999);
      }
      expect(formatToParts.mock.calls.length).toBe(warm);
    } finally {
      formatToParts.mockRestore();
    }
    expect(stockholmTimeMemo.stats()).toEqual({
      localDates: { cached: 1, notCacheable: 0 },
      dueTimes: { cached: 1, notCacheable: 0 },
    });
  });

  it('an invalid instant is not cached and throws as the library does', () => {
    expect(() => stockholmDateAt(Number.NaN)).toThrow(CalendarError);
    expect(() => concernReportDueTimesAt(Date.parse('not a date'))).toThrow(CalendarError);
    expect(stockholmTimeMemo.stats().localDates).toEqual({ cached: 0, notCacheable: 0 });
  });
});
