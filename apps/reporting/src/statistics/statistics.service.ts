import { Inject, Injectable } from '@nestjs/common';
import { localDateOf } from '@samverkan/calendar';
import { AppError, AppErrorCode } from '@samverkan/platform';
import { DataSource } from 'typeorm';
import { REPORTING_ENV } from '../common/reporting.tokens';
import type { ReportingEnv } from '../config/reporting.env';
import { isSmallCount } from '../suppression/suppression';
import type { StatTable } from './stat-table';
import {
  CATEGORY_KEYS,
  CohortTooSmall,
  COURSE_COLUMNS,
  courseRows,
  followUpRows,
  HANDLING_COLUMNS,
  handlingRows,
  interventionRows,
  monthByKeyTable,
  REPORTER_KINDS,
  schoolYearRows,
  TOTAL,
  UNKNOWN_REPORTER,
  type CourseCounts,
  type HandlingCounts,
  type InterventionCounts,
} from './statistics-math';
import type { FollowUpQuery, StatisticsQuery } from './statistics-query.dto';

/** The follow-up window after the index event (Ljungby: evaluated after two years). */
export const FOLLOW_UP_MONTHS = 24;

type Filters = Pick<StatisticsQuery, 'municipality' | 'district' | 'unit' | 'from' | 'to'>;

/** SQL WHERE fragments over a projection's columns; values always go as parameters. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sqlWithPlaceholder: string, value: unknown): this {
    this.params.push(value);
    this.parts.push(sqlWithPlaceholder.replace('?', `$${this.params.length}`));
    return this;
  }

  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/**
 * The statistics: aggregates in SQL over the projections (counts only ever leave the database
 * aggregated), then the small-count protection in statistics-math / suppression before anything is
 * returned.
 */
@Injectable()
export class StatisticsService {
  private readonly k: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REPORTING_ENV) env: ReportingEnv,
  ) {
    this.k = env.REPORTING_MIN_CELL_SIZE;
  }

  async concernReportsByReporterKind(q: Filters): Promise<StatTable> {
    const w = this.reportFilter(q);
    const rows: Array<{ month: string; key: string | null; n: string }> = await this.dataSource.query(
      `SELECT to_char(COALESCE(received_on, filed_on), 'YYYY-MM') AS month, reporter_kind AS key, count(*) AS n
         FROM concern_reports ${w.sql} GROUP BY 1, 2`,
      w.params,
    );
    const counts = rows.map((r) => ({ month: r.month, key: r.key ?? UNKNOWN_REPORTER, n: Number(r.n) }));
    return this.table(
      'concern-reports-by-reporter-kind',
      q,
      ['month', ...REPORTER_KINDS, TOTAL],
      monthByKeyTable(counts, REPORTER_KINDS, this.k, true),
      [
        'Month of receipt by social services (the filing date for reports not yet received).',
        `Reporter kind is the reporter's role; "${UNKNOWN_REPORTER}": the report did not come through the hub.`,
      ],
    );
  }

  async concernReportsByCategory(q: Filters): Promise<StatTable> {
    const w = this.reportFilter(q);
    const rows: Array<{ month: string; key: string; n: string }> = await this.dataSource.query(
      `SELECT to_char(COALESCE(received_on, filed_on), 'YYYY-MM') AS month, category AS key, count(*) AS n
         FROM concern_reports, unnest(string_to_array(categories, ',')) AS category ${w.sql} GROUP BY 1, 2`,
      w.params,
    );
    const counts = rows.map((r) => ({ month: r.month, key: r.key, n: Number(r.n) }));
    return this.table(
      'concern-reports-by-category',
      q,
      ['month', ...CATEGORY_KEYS],
      monthByKeyTable(counts, CATEGORY_KEYS, this.k, false),
      ['A report may name several categories, so categories do not add up to the number of reports.'],
    );
  }

  async concernReportHandling(q: Filters): Promise<StatTable> {
    const w = this.reportFilter(q);
    const rows: Array<Record<string, string | number[] | null>> = await this.dataSource.query(
      `SELECT to_char(COALESCE(received_on, filed_on), 'YYYY-MM') AS month,
              count(*) AS reports,
              count(*) FILTER (WHERE assessed_same_day IS NOT NULL) AS assessed,
              count(*) FILTER (WHERE assessed_same_day) AS assessed_same_day,
              count(*) FILTER (WHERE assessed_in_time) AS assessed_in_time,
              count(*) FILTER (WHERE decided_on IS NOT NULL) AS decided,
              count(*) FILTER (WHERE decided_in_time) AS decided_in_time,
              count(*) FILTER (WHERE has_reporter) AS with_reporter,
              count(*) FILTER (WHERE has_reporter AND feedback_given) AS feedback_given,
              array_remove(array_agg(days_to_decision), NULL) AS days
         FROM concern_reports ${w.sql} GROUP BY 1`,
      w.params,
    );
    const months: HandlingCounts[] = rows.map((r) => ({
      month: String(r.month),
      reports: Number(r.reports),
      assessed: Number(r.assessed),
      assessedSameDay: Number(r.assessed_same_day),
      assessedInTime: Number(r.assessed_in_time),
      decided: Number(r.decided),
      decidedInTime: Number(r.decided_in_time),
      withReporter: Number(r.with_reporter),
      feedbackGiven: Number(r.feedback_given),
      daysToDecision: (r.days as number[] | null) ?? [],
    }));
    return this.table('concern-report-handling', q, HANDLING_COLUMNS, handlingRows(months, this.k), [
      'assessedSameDayShare: protection assessment on the local day of receipt; assessedInTimeShare: by the legal deadline (the next working day when the report arrived after office hours).',
      'decidedWithin14DaysShare: decision by the end of receipt day + 14 calendar days. medianDaysToDecision: calendar days from receipt.',
      'feedbackShare: of reports from a reporter in the hub, those whose decision was fed back to the reporter.',
    ]);
  }

  async interventions(q: Filters): Promise<StatTable> {
    const base = new Where();
    this.unitFilters(base, q);
    const started = this.period(new Where(), 'started_on', q, base);
    const ended = this.period(new Where(), 'ended_on', q, base);
    const rows: Array<{ code: string; basis: string; year: number; kind: 'started' | 'ended'; n: string }> =
      await this.dataSource.query(
        `SELECT catalog_code AS code, basis, extract(year FROM started_on)::int AS year, 'started' AS kind, count(*) AS n
           FROM interventions ${started.sql} GROUP BY 1, 2, 3
         UNION ALL
         SELECT catalog_code, basis, extract(year FROM ended_on)::int, 'ended', count(*)
           FROM interventions ${shift(ended.sql, started.params.length)} ${ended.parts.length ? 'AND' : 'WHERE'} ended_on IS NOT NULL GROUP BY 1, 2, 3`,
        [...started.params, ...ended.params],
      );
    const byKey = new Map<string, InterventionCounts>();
    for (const r of rows) {
      const key = `${r.code}|${r.basis}|${r.year}`;
      const entry = byKey.get(key) ?? {
        catalogCode: r.code,
        basis: r.basis,
        year: r.year,
        started: 0,
        ended: 0,
      };
      entry[r.kind] += Number(r.n);
      byKey.set(key, entry);
    }
    return this.table(
      'interventions',
      q,
      ['catalogCode', 'basis', 'year', 'started', 'ended'],
      interventionRows([...byKey.values()], this.k),
      ['Started counts by the year started, ended by the year ended, each within the period.'],
    );
  }

  async mobilaTeametBySchoolYear(q: Filters): Promise<StatTable> {
    const w = this.period(new Where().add(`catalog_code = ?`, 'mobila-teamet'), 'started_on', q);
    this.unitFilters(w, q);
    const rows: Array<{ school_year: number | null; children: string }> = await this.dataSource.query(
      `SELECT school_year, count(DISTINCT pseudonym) AS children FROM interventions ${w.sql} GROUP BY 1`,
      w.params,
    );
    return this.table(
      'mobila-teamet-by-school-year',
      q,
      ['schoolYear', 'children'],
      schoolYearRows(
        rows.map((r) => ({ schoolYear: r.school_year, children: Number(r.children) })),
        this.k,
      ),
      [
        'Children who started in Mobila teamet in the period, by school year at the start (0 = förskoleklass).',
      ],
    );
  }

  async courses(q: Filters): Promise<StatTable> {
    const w = this.period(new Where(), 'c.starts_on', q);
    if (q.municipality) w.add(`c.municipality = ?`, q.municipality);
    if (q.district) w.add(`c.district = ?`, q.district);
    if (q.unit) w.add(`c.unit_code = ?`, q.unit);
    const rows: Array<Record<string, string | null>> = await this.dataSource.query(
      `WITH per_course AS (
         SELECT c.course_id, c.catalog_code, c.district, COALESCE(c.capacity, 0) AS capacity,
                COALESCE(c.summary_enrolled, count(e.*) FILTER (WHERE e.enrolled_at IS NOT NULL)) AS enrolled,
                COALESCE(c.summary_waitlisted, count(e.*) FILTER (WHERE e.waitlisted_at IS NOT NULL
                   AND e.enrolled_at IS NULL AND e.withdrawn_at IS NULL)) AS waitlisted,
                COALESCE(c.summary_completed, count(e.*) FILTER (WHERE e.completed_at IS NOT NULL)) AS completed,
                COALESCE(c.summary_withdrawn, count(e.*) FILTER (WHERE e.withdrawn_at IS NOT NULL
                   AND e.withdrawn_from_waitlist IS NOT TRUE)) AS dropouts
           FROM courses c LEFT JOIN course_enrolments e ON e.course_id = c.course_id
           ${w.sql}
          GROUP BY c.course_id)
       SELECT catalog_code, district, count(*) AS courses, sum(capacity) AS capacity, sum(enrolled) AS enrolled,
              sum(waitlisted) AS waitlisted, sum(completed) AS completed, sum(dropouts) AS dropouts
         FROM per_course GROUP BY 1, 2`,
      w.params,
    );
    const counts: CourseCounts[] = rows.map((r) => ({
      programme: String(r.catalog_code),
      district: r.district,
      courses: Number(r.courses),
      capacity: Number(r.capacity),
      enrolled: Number(r.enrolled),
      waitlisted: Number(r.waitlisted),
      completed: Number(r.completed),
      dropouts: Number(r.dropouts),
    }));
    return this.table('courses', q, COURSE_COLUMNS, courseRows(counts, this.k), [
      'Courses whose first session is in the period. A closed course counts by its summary (course.completed); an open one by its enrolments so far.',
      'waitlisted: still waiting at the end (or now); dropouts: withdrew after getting a place.',
    ]);
  }

  /**
   * Ljungby's two-year follow-up. Index group: children whose first preventive intervention start
   * (catalog level universal or selective) or course completion falls in P; index date = that event.
   * Comparison group: every other child seen in reporting's data in P (a concern report, an
   * intervention of any level, a course enrolment, a school absence flag); index date = their first
   * such event in P. Outcome: a concern report received after the index date and within 24 months.
   */
  async followUp(q: FollowUpQuery): Promise<StatTable> {
    if (q.from > q.to) throw AppError.validation([{ field: 'to', message: 'must not be before from' }]);
    const params: unknown[] = [q.from, q.to, FOLLOW_UP_MONTHS];
    let municipality = '';
    if (q.municipality) {
      params.push(q.municipality);
      municipality = `AND municipality = $4`;
    }
    const rows: Array<{ grp: string; children: string; with_new_report: string }> =
      await this.dataSource.query(
        `WITH in_period AS (
         SELECT * FROM child_timeline
          WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE 'Europe/Stockholm'
            AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Stockholm' ${municipality}),
       treated AS (
         SELECT pseudonym, min(occurred_at) AS index_at FROM in_period
          WHERE (kind = 'intervention-started' AND preventive) OR kind = 'course-completed'
          GROUP BY pseudonym),
       comparison AS (
         SELECT pseudonym, min(occurred_at) AS index_at FROM in_period
          WHERE pseudonym NOT IN (SELECT pseudonym FROM treated) GROUP BY pseudonym),
       cohort AS (
         SELECT 'intervention-or-course' AS grp, * FROM treated
         UNION ALL SELECT 'comparison', * FROM comparison)
       SELECT grp, count(*) AS children,
              count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM child_timeline r
                 WHERE r.pseudonym = cohort.pseudonym AND r.kind = 'concern-report'
                   AND r.occurred_at > cohort.index_at
                   AND r.occurred_at <= cohort.index_at + make_interval(months => $3))) AS with_new_report
         FROM cohort GROUP BY grp`,
        params,
      );
    const group = (name: 'intervention-or-course' | 'comparison') => {
      const r = rows.find((x) => x.grp === name);
      return {
        group: name,
        children: Number(r?.children ?? 0),
        withNewReport: Number(r?.with_new_report ?? 0),
      };
    };
    let result;
    try {
      result = followUpRows([group('intervention-or-course'), group('comparison')], this.k);
    } catch (error) {
      if (error instanceof CohortTooSmall) {
        throw new AppError(AppErrorCode.COHORT_TOO_SMALL, error.message);
      }
      throw error;
    }
    const windowEnd = new Date(`${q.to}T00:00:00Z`);
    windowEnd.setUTCMonth(windowEnd.getUTCMonth() + FOLLOW_UP_MONTHS);
    const complete = localDateOf(windowEnd) <= localDateOf(new Date());
    return this.table('follow-up', q, ['group', 'children', 'withNewReport', 'shareWithNewReport'], result, [
      'intervention-or-course: children whose first preventive intervention start (catalog level universal or selective) or course completion is in the period; index date = that event.',
      'comparison: every other child seen in the data in the period (concern report, intervention, course enrolment, school absence flag); index date = the first such event. Many entered the data through a concern report, so the groups differ in more than the intervention.',
      `Outcome: a concern report received after the index date and within ${FOLLOW_UP_MONTHS} months.`,
      complete
        ? 'The follow-up window has passed for the whole period.'
        : 'The follow-up window has not yet passed for the whole period: shares are provisional.',
    ]);
  }

  /** Guard used by tests and callers that want to know whether a count is small. */
  isSmall(n: number): boolean {
    return isSmallCount(n, this.k);
  }

  private reportFilter(q: Filters): Where {
    const w = this.period(new Where(), 'COALESCE(received_on, filed_on)', q);
    this.unitFilters(w, q);
    return w;
  }

  private unitFilters(w: Where, q: Filters): void {
    if (q.municipality) w.add(`municipality = ?`, q.municipality);
    if (q.district) w.add(`district = ?`, q.district);
    if (q.unit) w.add(`unit_code = ?`, q.unit);
  }

  private period(w: Where, column: string, q: Filters, base?: Where): Where {
    if (base) base.parts.forEach((part, i) => w.add(part.replace(/\$\d+/, '?'), base.params[i]));
    if (q.from) w.add(`${column} >= ?::date`, q.from);
    if (q.to) w.add(`${column} <= ?::date`, q.to);
    return w;
  }

  private table(
    statistic: string,
    q: object,
    columns: string[],
    rows: StatTable['rows'],
    notes: string[],
  ): StatTable {
    const filters: Record<string, string> = {};
    for (const [key, value] of Object.entries(q))
      if (typeof value === 'string' && key !== 'format') filters[key] = value;
    return { statistic, k: this.k, filters, columns, rows, notes };
  }
}

/** Renumbers $n placeholders by `offset` (for the second half of a UNION). */
function shift(sql: string, offset: number): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}
