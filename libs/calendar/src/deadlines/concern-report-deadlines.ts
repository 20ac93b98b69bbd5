import { addCalendarDays, CalendarError, CalendarErrorCode, IsoDate } from '../dates/local-date';
import { endOfLocalDay, localDateTimeOf } from '../dates/time-zone';
import { WorkingDayCalendar, WorkingDayOptions } from '../working-days/working-day-calendar';

/**
 * Deadlines that follow a concern report (orosanmälan) to social services.
 *
 * Protection assessment (skyddsbedömning): "genast" — by the end of the day the report arrives when
 * it arrives on a working day before the office closes; otherwise by the end of the next working
 * day. A report that arrives before the office opens on a working day is due that same day: the
 * office has the whole day to assess it. Reports that need action out of hours go to the social
 * on-call service (socialjour); that is not what this deadline tracks.
 *
 * Decision whether to open an investigation (förhandsbedömning; socialtjänstlag 2025:400
 * 20 kap. 2 §, earlier SoL 11 kap. 1 a §): within 14 days of receipt. Counted in calendar days on
 * local dates: received on day D, due by the end of D + 14 (Europe/Stockholm wall clock, so a DST
 * switch does not move it by an hour). Weekends and holidays are not skipped, the stricter reading.
 * Whether lag (1930:173) om beräkning av lagstadgad tid moves a deadline that ends on a
 * non-working day is a legal judgment for the board; `decisionDueOnWorkingDay: true` applies it.
 *
 * All due times are the last millisecond of the local day (23:59:59.999): overdue means now > due.
 */

export interface OfficeHours {
  /** "HH:MM", inclusive. Default "08:00". */
  opens: string;
  /** "HH:MM", exclusive: a report at exactly this minute is after hours. Default "17:00". */
  closes: string;
}

export interface ConcernReportDeadlineOptions extends WorkingDayOptions {
  officeHours?: OfficeHours;
  /** Calendar days from receipt to the decision deadline. Default 14. */
  decisionDays?: number;
  /** Move a decision deadline that ends on a non-working day to the next working day. Default false. */
  decisionDueOnWorkingDay?: boolean;
  /** Reuse a calendar (holidays cached) instead of building one from the options. */
  calendar?: WorkingDayCalendar;
}

export interface ConcernReportDeadlines {
  protectionAssessmentDue: Date;
  decisionDue: Date;
  /** The local date of receipt; the 14 days count from it. */
  receivedOn: IsoDate;
  /** True when the report arrived after office hours or on a non-working day. */
  receivedOutsideOfficeHours: boolean;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { opens: '08:00', closes: '17:00' };
export const DEFAULT_DECISION_DAYS = 14;

function minuteOfDay(time: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new CalendarError(CalendarErrorCode.INVALID_TIME, 'Office hours must be HH:MM');
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

export function concernReportDeadlines(
  receivedAt: Date,
  options: ConcernReportDeadlineOptions = {},
): ConcernReportDeadlines {
  const calendar = options.calendar ?? new WorkingDayCalendar(options);
  const hours = options.officeHours ?? DEFAULT_OFFICE_HOURS;
  const closes = minuteOfDay(hours.closes);
  if (minuteOfDay(hours.opens) >= closes) {
    throw new CalendarError(CalendarErrorCode.INVALID_OPTIONS, 'Office hours must open before they close');
  }
  const decisionDays = options.decisionDays ?? DEFAULT_DECISION_DAYS;
  if (!Number.isInteger(decisionDays) || decisionDays < 0) {
    throw new CalendarError(CalendarErrorCode.INVALID_OPTIONS, 'decisionDays must be a non-negative integer');
  }

  const tz = calendar.timeZone;
  const received = localDateTimeOf(receivedAt, tz);
  const workingDay = calendar.isWorkingDay(received.date);
  const withinDay = workingDay && received.minuteOfDay < closes;
  const assessmentDate = withinDay ? received.date : calendar.nextWorkingDay(received.date);

  let decisionDate = addCalendarDays(received.date, decisionDays);
  if (options.decisionDueOnWorkingDay) decisionDate = calendar.workingDayOnOrAfter(decisionDate);

  return {
    protectionAssessmentDue: endOfLocalDay(assessmentDate, tz),
    decisionDue: endOfLocalDay(decisionDate, tz),
    receivedOn: received.date,
    receivedOutsideOfficeHours: !withinDay || received.minuteOfDay < minuteOfDay(hours.opens),
  };
}
