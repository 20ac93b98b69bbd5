import { CONCERN_CATEGORIES, REPORTER_ROLES } from '@samverkan/contracts';
import {
  enoughIndividuals,
  protectCount,
  protectShare,
  protectTable,
  shareSuppressed,
} from '../suppression/suppression';
import { put, type StatRow } from './stat-table';

/** Median of a list of numbers (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Reports not filed through the hub have no reporter role. */
export const UNKNOWN_REPORTER = 'not-via-hub';
export const REPORTER_KINDS: readonly string[] = [...REPORTER_ROLES, UNKNOWN_REPORTER];
export const TOTAL = 'total';

export interface MonthKindCount {
  month: string;
  key: string;
  n: number;
}

/**
 * A month × key count table. With `additive` the keys partition the month's items (one reporter
 * kind per report): a total column and a total row are shown and secondary suppression protects
 * them. Without it (categories: a report may name several) the keys overlap, so there is no month
 * total to subtract from; only the per-key totals over the period are shown.
 */
export function monthByKeyTable(
  counts: readonly MonthKindCount[],
  keys: readonly string[],
  k: number,
  additive: boolean,
): StatRow[] {
  const months = [...new Set(counts.map((c) => c.month))].sort();
  const cells = months.map((month) =>
    keys.map((key) => counts.filter((c) => c.month === month && c.key === key).reduce((a, c) => a + c.n, 0)),
  );
  const table = protectTable({ cells, rowTotals: additive, columnTotals: true }, k);
  const rows: StatRow[] = months.map((month, r) => {
    const row: StatRow = { month };
    keys.forEach((key, c) => put(row, key, table.cells[r][c], table.suppressed[r][c]));
    if (additive) put(row, TOTAL, table.rowTotals![r], table.rowTotalSuppressed![r]);
    return row;
  });
  const totalRow: StatRow = { month: TOTAL };
  keys.forEach((key, c) => put(totalRow, key, table.columnTotals![c], table.columnTotalSuppressed![c]));
  if (additive) put(totalRow, TOTAL, table.grandTotal!, table.grandTotalSuppressed!);
  rows.push(totalRow);
  return rows;
}

export const CATEGORY_KEYS: readonly string[] = CONCERN_CATEGORIES;

export interface HandlingCounts {
  month: string;
  reports: number;
  assessed: number;
  assessedSameDay: number;
  assessedInTime: number;
  decided: number;
  decidedInTime: number;
  withReporter: number;
  feedbackGiven: number;
  daysToDecision: number[];
}

export const HANDLING_COLUMNS = [
  'month',
  'reports',
  'assessed',
  'assessedSameDayShare',
  'assessedInTimeShare',
  'decided',
  'decidedWithin14DaysShare',
  'medianDaysToDecision',
  'withReporter',
  'feedbackShare',
];

const HANDLING_COUNTS = ['reports', 'assessed', 'decided', 'withReporter'] as const;

/**
 * Per month and for the whole period: the share assessed the same day (and by the legal deadline),
 * the share decided within 14 days, the median days to a decision, and the share of reports from a
 * reporter in the hub that were fed back. Counts are one column each with a period total, so a
 * suppressed month is protected against total − other months.
 */
export function handlingRows(months: readonly HandlingCounts[], k: number): StatRow[] {
  const sorted = [...months].sort((a, b) => a.month.localeCompare(b.month));
  const total: HandlingCounts = {
    month: TOTAL,
    reports: 0,
    assessed: 0,
    assessedSameDay: 0,
    assessedInTime: 0,
    decided: 0,
    decidedInTime: 0,
    withReporter: 0,
    feedbackGiven: 0,
    daysToDecision: [],
  };
  for (const m of sorted) {
    for (const key of Object.keys(total) as Array<keyof HandlingCounts>) {
      if (key === 'month') continue;
      if (key === 'daysToDecision') total.daysToDecision.push(...m.daysToDecision);
      else total[key] += m[key];
    }
  }
  const all = [...sorted, total];
  const rows: StatRow[] = all.map((m) => ({ month: m.month }));
  for (const column of HANDLING_COUNTS) {
    const table = protectTable({ cells: sorted.map((m) => [m[column]]), columnTotals: true }, k);
    sorted.forEach((_, r) => put(rows[r], column, table.cells[r][0], table.suppressed[r][0]));
    put(rows[sorted.length], column, table.columnTotals![0], table.columnTotalSuppressed![0]);
  }
  all.forEach((m, r) => {
    const row = rows[r];
    share(row, 'assessedSameDayShare', m.assessedSameDay, m.assessed, k);
    share(row, 'assessedInTimeShare', m.assessedInTime, m.assessed, k);
    share(row, 'decidedWithin14DaysShare', m.decidedInTime, m.decided, k);
    const enough = enoughIndividuals(m.daysToDecision.length, k);
    put(row, 'medianDaysToDecision', median(m.daysToDecision), m.daysToDecision.length > 0 && !enough);
    share(row, 'feedbackShare', m.feedbackGiven, m.withReporter, k);
  });
  return rows;
}

function share(row: StatRow, column: string, numerator: number, denominator: number, k: number): void {
  put(
    row,
    column,
    round(protectShare(numerator, denominator, k)),
    shareSuppressed(numerator, denominator, k),
  );
}

export function round(value: number | null, digits = 4): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface InterventionCounts {
  catalogCode: string;
  basis: string;
  year: number;
  started: number;
  ended: number;
}

/** Started and ended per catalog code, basis and year. No totals are shown, so primary only. */
export function interventionRows(counts: readonly InterventionCounts[], k: number): StatRow[] {
  return [...counts]
    .sort(
      (a, b) =>
        a.catalogCode.localeCompare(b.catalogCode) || a.basis.localeCompare(b.basis) || a.year - b.year,
    )
    .map((c) => {
      const row: StatRow = { catalogCode: c.catalogCode, basis: c.basis, year: c.year };
      put(row, 'started', protectCount(c.started, k), protectCount(c.started, k) === null);
      put(row, 'ended', protectCount(c.ended, k), protectCount(c.ended, k) === null);
      return row;
    });
}

/** Children in Mobila teamet per school year, with a total (secondary suppression in the column). */
export function schoolYearRows(
  counts: ReadonlyArray<{ schoolYear: number | null; children: number }>,
  k: number,
): StatRow[] {
  const sorted = [...counts].sort((a, b) => (a.schoolYear ?? 99) - (b.schoolYear ?? 99));
  const table = protectTable({ cells: sorted.map((c) => [c.children]), columnTotals: true }, k);
  const rows: StatRow[] = sorted.map((c, r) => {
    const row: StatRow = { schoolYear: c.schoolYear === null ? 'unknown' : String(c.schoolYear) };
    put(row, 'children', table.cells[r][0], table.suppressed[r][0]);
    return row;
  });
  const total: StatRow = { schoolYear: TOTAL };
  put(total, 'children', table.columnTotals?.[0] ?? 0, table.columnTotalSuppressed?.[0] ?? false);
  rows.push(total);
  return rows;
}

export interface CourseCounts {
  programme: string;
  district: string | null;
  courses: number;
  capacity: number;
  enrolled: number;
  waitlisted: number;
  completed: number;
  dropouts: number;
}

export const COURSE_COLUMNS = [
  'programme',
  'district',
  'courses',
  'capacity',
  'enrolled',
  'fillRate',
  'waitlisted',
  'completed',
  'completionRate',
  'dropouts',
];

/**
 * Fill rate = enrolled ÷ capacity (capped at 1: promotions from the waitlist can exceed it);
 * completion rate = completed ÷ enrolled; dropouts = withdrew after getting a place. Capacity is
 * not a count of people and is always shown, so the fill rate is suppressed with `enrolled`.
 */
export function courseRows(counts: readonly CourseCounts[], k: number): StatRow[] {
  return [...counts]
    .sort(
      (a, b) => a.programme.localeCompare(b.programme) || (a.district ?? '').localeCompare(b.district ?? ''),
    )
    .map((c) => {
      const row: StatRow = {
        programme: c.programme,
        district: c.district ?? 'none',
        courses: c.courses,
        capacity: c.capacity,
      };
      const enrolled = protectCount(c.enrolled, k);
      put(row, 'enrolled', enrolled, enrolled === null);
      const fill = c.capacity > 0 ? round(Math.min(1, c.enrolled / c.capacity)) : null;
      put(row, 'fillRate', fill, enrolled === null);
      const waitlisted = protectCount(c.waitlisted, k);
      put(row, 'waitlisted', waitlisted, waitlisted === null);
      const completed = protectCount(c.completed, k);
      put(row, 'completed', completed, completed === null);
      share(row, 'completionRate', c.completed, c.enrolled, k);
      const dropouts = protectCount(c.dropouts, k);
      put(row, 'dropouts', dropouts, dropouts === null);
      return row;
    });
}

export interface FollowUpGroup {
  group: 'intervention-or-course' | 'comparison';
  children: number;
  withNewReport: number;
}

export enum CohortRefusal {
  TOO_SMALL = 'COHORT_TOO_SMALL',
}

/** Thrown (and mapped to 422 COHORT_TOO_SMALL) when a follow-up group has fewer than k children. */
export class CohortTooSmall extends Error {
  readonly code = CohortRefusal.TOO_SMALL;
  constructor(readonly k: number) {
    super(`A follow-up group has fewer than ${k} children; the query is refused to protect them.`);
    this.name = 'CohortTooSmall';
  }
}

export function followUpRows(groups: readonly FollowUpGroup[], k: number): StatRow[] {
  for (const g of groups) if (g.children < k) throw new CohortTooSmall(k);
  return groups.map((g) => {
    const row: StatRow = { group: g.group, children: g.children };
    const n = protectCount(g.withNewReport, k);
    put(row, 'withNewReport', n, n === null);
    share(row, 'shareWithNewReport', g.withNewReport, g.children, k);
    return row;
  });
}
