import { addCalendarDays, IsoDate, isoDate, isoWeekday } from '../dates/local-date';

/**
 * Swedish public holidays and the days that are non-working in practice.
 *
 * LAW — lag (1989:253) om allmänna helgdagar: every Sunday, nyårsdagen, trettondedag jul,
 * långfredagen, påskdagen, annandag påsk, Kristi himmelsfärdsdag, första maj, nationaldagen,
 * pingstdagen, midsommardagen, alla helgons dag, juldagen and annandag jul.
 *
 * PRACTICE — midsommarafton, julafton and nyårsafton are not public holidays, but offices are closed
 * and collective agreements and several statutes treat them like Sundays (semesterlagen 3 §;
 * lag (1930:173) om beräkning av lagstadgad tid). They are therefore non-working by default and
 * can be switched off one by one. Påskafton and pingstafton always fall on a Saturday and need no
 * entry. A municipality's own closing days (klämdagar) go in `extraNonWorkingDays` of the calendar.
 *
 * The names are data like the law references: they are what the statute calls the days.
 */
export type HolidayBasis = 'law' | 'practice';

export type SwedishHolidayId =
  | 'nyarsdagen'
  | 'trettondedag-jul'
  | 'langfredagen'
  | 'paskdagen'
  | 'annandag-pask'
  | 'forsta-maj'
  | 'kristi-himmelsfardsdag'
  | 'pingstdagen'
  | 'nationaldagen'
  | 'midsommarafton'
  | 'midsommardagen'
  | 'alla-helgons-dag'
  | 'julafton'
  | 'juldagen'
  | 'annandag-jul'
  | 'nyarsafton';

/** The de facto non-working eves; each can be made a working day by configuration. */
export type PracticeHolidayId = 'midsommarafton' | 'julafton' | 'nyarsafton';
export const PRACTICE_HOLIDAYS: readonly PracticeHolidayId[] = ['midsommarafton', 'julafton', 'nyarsafton'];

export interface Holiday {
  id: SwedishHolidayId;
  date: IsoDate;
  /** The Swedish name, as the statute or common usage spells it. */
  name: string;
  basis: HolidayBasis;
}

/**
 * Easter Sunday (Gregorian), by the anonymous Gregorian computus (Meeus/Jones/Butcher).
 * Sweden has used the Gregorian Easter since 1753 (with a Swedish reckoning until 1844); the hub
 * only deals with current dates.
 */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** The Saturday in the window [from, from + 6]. */
function saturdayFrom(from: IsoDate): IsoDate {
  const weekday = isoWeekday(from);
  return addCalendarDays(from, (6 - weekday + 7) % 7);
}

/** Every holiday of a year (law and practice), sorted by date. Sundays are not listed; they are weekends. */
export function swedishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const midsommardagen = saturdayFrom(isoDate(year, 6, 20));
  const holidays: Holiday[] = [
    { id: 'nyarsdagen', date: isoDate(year, 1, 1), name: 'Nyårsdagen', basis: 'law' },
    { id: 'trettondedag-jul', date: isoDate(year, 1, 6), name: 'Trettondedag jul', basis: 'law' },
    { id: 'langfredagen', date: addCalendarDays(easter, -2), name: 'Långfredagen', basis: 'law' },
    { id: 'paskdagen', date: easter, name: 'Påskdagen', basis: 'law' },
    { id: 'annandag-pask', date: addCalendarDays(easter, 1), name: 'Annandag påsk', basis: 'law' },
    { id: 'forsta-maj', date: isoDate(year, 5, 1), name: 'Första maj', basis: 'law' },
    {
      id: 'kristi-himmelsfardsdag',
      date: addCalendarDays(easter, 39),
      name: 'Kristi himmelsfärdsdag',
      basis: 'law',
    },
    { id: 'pingstdagen', date: addCalendarDays(easter, 49), name: 'Pingstdagen', basis: 'law' },
    { id: 'nationaldagen', date: isoDate(year, 6, 6), name: 'Sveriges nationaldag', basis: 'law' },
    {
      id: 'midsommarafton',
      date: addCalendarDays(midsommardagen, -1),
      name: 'Midsommarafton',
      basis: 'practice',
    },
    { id: 'midsommardagen', date: midsommardagen, name: 'Midsommardagen', basis: 'law' },
    {
      id: 'alla-helgons-dag',
      date: saturdayFrom(isoDate(year, 10, 31)),
      name: 'Alla helgons dag',
      basis: 'law',
    },
    { id: 'julafton', date: isoDate(year, 12, 24), name: 'Julafton', basis: 'practice' },
    { id: 'juldagen', date: isoDate(year, 12, 25), name: 'Juldagen', basis: 'law' },
    { id: 'annandag-jul', date: isoDate(year, 12, 26), name: 'Annandag jul', basis: 'law' },
    { id: 'nyarsafton', date: isoDate(year, 12, 31), name: 'Nyårsafton', basis: 'practice' },
  ];
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}
