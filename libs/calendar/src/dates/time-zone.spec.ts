import { endOfLocalDay, instantOf, localDateOf, localDateTimeOf, startOfLocalDay } from './time-zone';

describe('Europe/Stockholm wall clock', () => {
  it('reads the local date, which differs from the UTC date around midnight', () => {
    expect(localDateOf(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24'); // 00:30 CET
    expect(localDateOf(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01'); // 00:30 CEST
    expect(localDateTimeOf(new Date('2026-06-30T15:05:00Z'))).toEqual({
      date: '2026-06-30',
      minuteOfDay: 17 * 60 + 5,
    });
  });

  it('turns local times into instants in winter and summer', () => {
    expect(instantOf('2026-01-15', '08:00').toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(instantOf('2026-07-15', '08:00').toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(endOfLocalDay('2026-01-15').toISOString()).toBe('2026-01-15T22:59:59.999Z');
    expect(endOfLocalDay('2026-07-15').toISOString()).toBe('2026-07-15T21:59:59.999Z');
    expect(startOfLocalDay('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('handles the spring-forward day (2026-03-29: 02:00 CET → 03:00 CEST)', () => {
    expect(instantOf('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(instantOf('2026-03-29', '03:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 does not exist; the clock shows 03:30 at that moment.
    expect(instantOf('2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(endOfLocalDay('2026-03-29').toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(startOfLocalDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('handles the fall-back day (2026-10-25: 03:00 CEST → 02:00 CET)', () => {
    // 02:30 happens twice; the earlier one is chosen.
    expect(instantOf('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(instantOf('2026-10-25', '03:30').toISOString()).toBe('2026-10-25T02:30:00.000Z');
    expect(startOfLocalDay('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(endOfLocalDay('2026-10-25').toISOString()).toBe('2026-10-25T22:59:59.999Z');
  });

  it('rejects malformed times', () => {
    expect(() => instantOf('2026-01-01', '24:00')).toThrow();
    expect(() => instantOf('2026-01-01', '8:00')).toThrow();
    expect(() => localDateOf(new Date('nope'))).toThrow();
  });
});

describe('wall-clock readings agree with Intl at every instant, offset changes included', () => {
  /** Read independently of the module: the zone's formatter, to the minute. */
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const formatter = (timeZone: string) => {
    const made =
      formatters.get(timeZone) ??
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
    formatters.set(timeZone, made);
    return made;
  };
  const reference = (instant: Date, timeZone: string) => {
    const parts = Object.fromEntries(
      formatter(timeZone)
        .formatToParts(instant)
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    );
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      date: `${String(parts.year).padStart(4, '0')}-${pad(parts.month)}-${pad(parts.day)}`,
      minuteOfDay: parts.hour * 60 + parts.minute,
    };
  };
  const sweep = (fromIso: string, toIso: string, stepMs: number, timeZone: string) => {
    const mismatches: string[] = [];
    for (let t = Date.parse(fromIso); t <= Date.parse(toIso); t += stepMs) {
      const instant = new Date(t);
      const expected = reference(instant, timeZone);
      const actual = localDateTimeOf(instant, timeZone);
      if (actual.date !== expected.date || actual.minuteOfDay !== expected.minuteOfDay)
        mismatches.push(
          `${instant.toISOString()} ${timeZone}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`,
        );
    }
    return mismatches;
  };

  it('through a whole Stockholm year, every 7 minutes and 13 seconds', () => {
    expect(sweep('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 433_000, 'Europe/Stockholm')).toEqual([]);
  });

  it('minute by minute across both 2026 switches, and at every millisecond offset of a second', () => {
    expect(sweep('2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z', 60_000, 'Europe/Stockholm')).toEqual([]);
    expect(sweep('2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z', 60_000, 'Europe/Stockholm')).toEqual([]);
    expect(sweep('2026-10-25T00:59:58Z', '2026-10-25T01:00:02Z', 7, 'Europe/Stockholm')).toEqual([]);
  });

  it('in zones with half-hour switches, odd historical offsets and before 1970', () => {
    // Lord Howe Island moves its clocks by 30 minutes; Stockholm kept local mean time (+01:12) until 1879.
    expect(sweep('2026-04-04T12:00:00Z', '2026-04-04T18:00:00Z', 60_000, 'Australia/Lord_Howe')).toEqual([]);
    expect(sweep('1878-12-31T20:00:00Z', '1879-01-01T02:00:00Z', 60_000, 'Europe/Stockholm')).toEqual([]);
    expect(sweep('1969-12-31T22:58:00Z', '1969-12-31T23:02:00Z', 997, 'Asia/Kolkata')).toEqual([]);
  });
});
