/**
 * Dates without a time or a time zone (`YYYY-MM-DD`). Deadline arithmetic is done on these, never
 * on instants: adding 24 h to an instant across a DST switch lands an hour off, adding one day to
 * a local date cannot. Internally a date is its day number since 1970-01-01 (UTC is used only as a
 * proleptic calendar here, not as a time zone).
 */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export enum CalendarErrorCode {
  INVALID_DATE = 'CALENDAR_INVALID_DATE',
  INVALID_TIME = 'CALENDAR_INVALID_TIME',
  INVALID_OPTIONS = 'CALENDAR_INVALID_OPTIONS',
}

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function partsOf(date: IsoDate): DateParts {
  if (!isIsoDate(date))
    throw new CalendarError(CalendarErrorCode.INVALID_DATE, 'Expected a calendar date YYYY-MM-DD');
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return formatEpochDay(Math.round(Date.UTC(year, month - 1, day) / DAY_MS));
}

function epochDayOf(date: IsoDate): number {
  const { year, month, day } = partsOf(date);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function formatEpochDay(epochDay: number): IsoDate {
  const d = new Date(epochDay * DAY_MS);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** `days` may be negative. Calendar days: weekends and holidays count like any other day. */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days))
    throw new CalendarError(CalendarErrorCode.INVALID_OPTIONS, 'days must be an integer');
  return formatEpochDay(epochDayOf(date) + days);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDayOf(date) + 3) % 7) + 7) % 7) + 1;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return epochDayOf(to) - epochDayOf(from);
}
