import { CalendarError } from '../dates/local-date';
import { isWorkingDay, nextWorkingDay, WorkingDayCalendar } from './working-day-calendar';

describe('WorkingDayCalendar', () => {
  it('counts Monday to Friday, not weekends', () => {
    expect(isWorkingDay('2026-11-23')).toBe(true); // Monday
    expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29')).toBe(false); // Sunday
  });

  it.each([
    ['2026-01-01', 'nyårsdagen'],
    ['2026-01-06', 'trettondedag jul'],
    ['2026-04-03', 'långfredagen'],
    ['2026-04-06', 'annandag påsk'],
    ['2026-05-01', 'första maj'],
    ['2026-05-14', 'Kristi himmelsfärdsdag'],
    ['2025-06-06', 'nationaldagen (a Friday in 2025)'],
    ['2026-06-19', 'midsommarafton'],
    ['2026-12-24', 'julafton'],
    ['2026-12-25', 'juldagen'],
    ['2026-12-31', 'nyårsafton'],
    ['2025-12-26', 'annandag jul (a Friday in 2025)'],
  ])('%s (%s) is not a working day', (date) => {
    expect(isWorkingDay(date)).toBe(false);
  });

  it('makes the practice holidays working days when configured off', () => {
    const strict = new WorkingDayCalendar({ practiceHolidays: [] });
    expect(strict.isWorkingDay('2026-06-19')).toBe(true);
    expect(strict.isWorkingDay('2026-12-24')).toBe(true);
    expect(strict.isWorkingDay('2026-12-31')).toBe(true);
    expect(strict.isWorkingDay('2026-12-25')).toBe(false); // law stays
    const onlyJulafton = new WorkingDayCalendar({ practiceHolidays: ['julafton'] });
    expect(onlyJulafton.isWorkingDay('2026-12-24')).toBe(false);
    expect(onlyJulafton.isWorkingDay('2026-12-31')).toBe(true);
    expect(onlyJulafton.holidayOn('2026-12-24')).toMatchObject({ name: 'Julafton', basis: 'practice' });
  });

  it('honours local closing days', () => {
    const calendar = new WorkingDayCalendar({ extraNonWorkingDays: ['2026-05-15'] }); // klämdag
    expect(calendar.isWorkingDay('2026-05-15')).toBe(false);
    expect(calendar.nextWorkingDay('2026-05-13')).toBe('2026-05-18');
  });

  it('finds the next working day over Easter, midsommar, Christmas and New Year', () => {
    expect(nextWorkingDay('2026-04-02')).toBe('2026-04-07'); // skärtorsdag → tisdag efter annandag påsk
    expect(nextWorkingDay('2026-06-18')).toBe('2026-06-22');
    expect(nextWorkingDay('2026-12-23')).toBe('2026-12-28');
    expect(nextWorkingDay('2026-12-28')).toBe('2026-12-29');
    expect(nextWorkingDay('2026-12-30')).toBe('2027-01-04');
    expect(nextWorkingDay('2027-01-05')).toBe('2027-01-07'); // trettondedag on a Wednesday
    expect(nextWorkingDay('2026-11-27')).toBe('2026-11-30'); // Friday → Monday
  });

  it('reads an instant on the Stockholm wall clock', () => {
    // 23:30 UTC on Friday is 00:30 on Saturday in Stockholm.
    expect(isWorkingDay(new Date('2026-11-27T23:30:00Z'))).toBe(false);
    expect(isWorkingDay(new Date('2026-11-27T22:30:00Z'))).toBe(true);
  });

  it('rejects bad configuration', () => {
    expect(() => new WorkingDayCalendar({ practiceHolidays: ['påskafton' as never] })).toThrow(CalendarError);
    expect(() => new WorkingDayCalendar({ extraNonWorkingDays: ['15 May'] })).toThrow(CalendarError);
  });
});
