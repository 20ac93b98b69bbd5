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
