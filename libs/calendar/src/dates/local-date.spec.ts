import { addCalendarDays, CalendarError, daysBetween, isIsoDate, isoWeekday } from './local-date';

describe('local dates', () => {
  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addCalendarDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2026-11-23', 14)).toBe('2026-12-07');
  });

  it('does not drift across DST switches (date arithmetic, not 24-hour steps)', () => {
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addCalendarDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(daysBetween('2026-03-15', '2026-03-29')).toBe(14);
  });

  it('knows the weekday', () => {
    expect(isoWeekday('2026-11-23')).toBe(1); // Monday
    expect(isoWeekday('2026-11-22')).toBe(7); // Sunday
    expect(isoWeekday('1969-12-31')).toBe(3); // before the epoch
  });

  it('rejects non-dates', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-1')).toBe(false);
    expect(() => addCalendarDays('2026-13-01', 1)).toThrow(CalendarError);
    expect(() => addCalendarDays('2026-01-01', 1.5)).toThrow(CalendarError);
  });
});
