import {
  addCalendarDays,
  CalendarError,
  CalendarErrorCode,
  IsoDate,
  isIsoDate,
  isoWeekday,
  partsOf,
} from '../dates/local-date';
import { localDateOf, STOCKHOLM } from '../dates/time-zone';
import { Holiday, PRACTICE_HOLIDAYS, PracticeHolidayId, swedishHolidays } from '../holidays/swedish-holidays';

export interface WorkingDayOptions {
  /**
   * The de facto non-working eves to treat as non-working. Default: all three (midsommarafton,
   * julafton, nyårsafton). Pass `[]` to count them as working days.
   */
  practiceHolidays?: readonly PracticeHolidayId[];
  /** Further local closing days (e.g. a municipality's klämdagar). */
  extraNonWorkingDays?: readonly IsoDate[];
  /** Time zone in which an instant is turned into a date. Default Europe/Stockholm. */
  timeZone?: string;
}

/** Upper bound on the search for a next working day; Sweden never has more than four days off in a row. */
const MAX_SEARCH_DAYS = 366;

/**
 * Monday to Friday, except public holidays by law and the configured practice holidays.
 * Accepts a local date or an instant (read in the configured time zone).
 */
export class WorkingDayCalendar {
  readonly timeZone: string;
  private readonly practice: ReadonlySet<PracticeHolidayId>;
  private readonly extra: ReadonlySet<IsoDate>;
  private readonly byYear = new Map<number, Map<IsoDate, Holiday>>();

  constructor(options: WorkingDayOptions = {}) {
    this.timeZone = options.timeZone ?? STOCKHOLM;
    const practice = options.practiceHolidays ?? PRACTICE_HOLIDAYS;
    for (const id of practice) {
      if (!PRACTICE_HOLIDAYS.includes(id)) {
        throw new CalendarError(CalendarErrorCode.INVALID_OPTIONS, `Unknown practice holiday "${id}"`);
      }
    }
    for (const day of options.extraNonWorkingDays ?? []) {
      if (!isIsoDate(day))
        throw new CalendarError(CalendarErrorCode.INVALID_OPTIONS, 'extraNonWorkingDays must be YYYY-MM-DD');
    }
    this.practice = new Set(practice);
    this.extra = new Set(options.extraNonWorkingDays ?? []);
  }

  /** The holiday (law or configured practice) on a date, if any. */
  holidayOn(day: IsoDate | Date): Holiday | undefined {
    const date = this.toDate(day);
    const holiday = this.holidaysOf(partsOf(date).year).get(date);
    if (holiday && holiday.basis === 'practice' && !this.practice.has(holiday.id as PracticeHolidayId))
      return undefined;
    return holiday;
  }

  isWorkingDay(day: IsoDate | Date): boolean {
    const date = this.toDate(day);
    if (isoWeekday(date) >= 6) return false;
    if (this.extra.has(date)) return false;
    return this.holidayOn(date) === undefined;
  }

  /** The first working day strictly after `day`. */
  nextWorkingDay(day: IsoDate | Date): IsoDate {
    let date = this.toDate(day);
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      date = addCalendarDays(date, 1);
      if (this.isWorkingDay(date)) return date;
    }
    throw new CalendarError(
      CalendarErrorCode.INVALID_OPTIONS,
      'No working day within a year; check extraNonWorkingDays',
    );
  }

  /** `day` itself when it is a working day, otherwise the next one. */
  workingDayOnOrAfter(day: IsoDate | Date): IsoDate {
    const date = this.toDate(day);
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
  }

  private toDate(day: IsoDate | Date): IsoDate {
    if (day instanceof Date) return localDateOf(day, this.timeZone);
    partsOf(day); // validates
    return day;
  }

  private holidaysOf(year: number): Map<IsoDate, Holiday> {
    let map = this.byYear.get(year);
    if (!map) {
      map = new Map();
      // Two holidays can share a date (Kristi himmelsfärdsdag on första maj in 2008); keep the one by law.
      for (const h of swedishHolidays(year)) if (!map.has(h.date) || h.basis === 'law') map.set(h.date, h);
      this.byYear.set(year, map);
    }
    return map;
  }
}

const defaultCalendar = new WorkingDayCalendar();

/** With the default calendar (all practice holidays off, Europe/Stockholm) unless options are given. */
export function isWorkingDay(day: IsoDate | Date, options?: WorkingDayOptions): boolean {
  return (options ? new WorkingDayCalendar(options) : defaultCalendar).isWorkingDay(day);
}

/** The first working day strictly after `day`. */
export function nextWorkingDay(day: IsoDate | Date, options?: WorkingDayOptions): IsoDate {
  return (options ? new WorkingDayCalendar(options) : defaultCalendar).nextWorkingDay(day);
}
