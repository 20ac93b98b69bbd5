import { endOfLocalDay, isoDate, localDateOf, partsOf, STOCKHOLM, type IsoDate } from '@samverkan/calendar';

/**
 * SoL 11 kap. 2 § (socialtjänstlag 2025:400 20 kap.): a child investigation (barnavårdsutredning)
 * must be completed within four months of being opened; for special reasons the board may extend it
 * by a decision, for a stated time.
 */
export const INVESTIGATION_MONTHS = 4;

/**
 * `months` calendar months after `date`, as lag (1930:173) om beräkning av lagstadgad tid counts
 * them: the day of the final month with the same number, or that month's last day when it has no
 * such day (31 Oct + 4 months = 28/29 Feb).
 */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError('months must be an integer');
  const { year, month, day } = partsOf(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return isoDate(targetYear, targetMonth, Math.min(day, lastDay));
}

/**
 * The statutory deadline of an investigation opened at `openedAt`: the end of the local day
 * (Europe/Stockholm) four months after the local day it was opened. Counted on local dates so a
 * DST switch does not move it by an hour. A deadline on a weekend or holiday is not moved: the
 * stricter reading, as for the intake decision by default.
 */
export function investigationDueAt(openedAt: Date, timeZone: string = STOCKHOLM): Date {
  return endOfLocalDay(addCalendarMonths(localDateOf(openedAt, timeZone), INVESTIGATION_MONTHS), timeZone);
}

/** An extension runs to the end of the local day the decision names. */
export function extendedDueAt(until: IsoDate, timeZone: string = STOCKHOLM): Date {
  return endOfLocalDay(until, timeZone);
}

export interface InvestigationDeadlineState {
  dueAt: Date;
  closedAt: Date | null;
}

/** Past its (possibly extended) deadline and not closed. Due times are inclusive; closed late is not overdue. */
export function isInvestigationOverdue(state: InvestigationDeadlineState, now: Date): boolean {
  return state.closedAt === null && now.getTime() > state.dueAt.getTime();
}
