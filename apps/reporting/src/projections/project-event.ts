import { daysBetween } from '@samverkan/calendar';
import { catalogEntry } from '@samverkan/contracts';
import type { ProjectionOp, ProjectionRow } from './projection-tables';
import { concernReportDueTimesAt, stockholmDateAt } from './stockholm-time';

/**
 * What reporting needs of an event from samverkan.audience.reporting. The router has already
 * removed every personal-data field (see libs/contracts/src/policy), so `data` holds codes, unit
 * ids, dates and counts; `subject` is the keyed pseudonym of the child.
 */
export interface ReportingEvent {
  id: string;
  type: string;
  subject: string;
  municipality: string;
  data: unknown;
}

type Data = Record<string, unknown>;

/** The event types projectEvent gives rows for; every other type gives none. */
export const PROJECTED_TYPES: ReadonlySet<string> = new Set([
  'samverkan.concern-report.filed.v1',
  'samverkan.concern-report.protection-assessed.v1',
  'samverkan.concern-report.decided.v1',
  'samverkan.intervention.started.v1',
  'samverkan.intervention.ended.v1',
  'samverkan.course.scheduled.v1',
  'samverkan.course.completed.v1',
  'samverkan.course.participant-enrolled.v1',
  'samverkan.course.participant-waitlisted.v1',
  'samverkan.course.participant-withdrawn.v1',
  'samverkan.course.participant-completed.v1',
  'samverkan.school-absence.flagged.v1',
]);

/**
 * The projection rows an event touches (pure apart from the memoized calendar, see
 * stockholm-time.ts). Unknown or
 * unneeded types (consents, attendance, places-available) give no rows: reporting has no use for
 * them yet. Never throws on a well-formed delivered event.
 */
export function projectEvent(event: ReportingEvent): ProjectionOp[] {
  const d = (event.data ?? {}) as Data;
  const pseudonym = event.subject;
  const municipality = event.municipality;
  switch (event.type) {
    case 'samverkan.concern-report.filed.v1': {
      const unit = obj(d.reportingUnit);
      const filedAt = str(d.filedAt);
      return [
        {
          table: 'concern_reports',
          row: {
            report_id: str(d.reportId),
            pseudonym,
            municipality: str(unit.municipality) ?? municipality,
            unit_code: str(unit.schoolUnitCode),
            reporter_kind: str(obj(d.reporter).role),
            categories: Array.isArray(d.categories) ? d.categories.map(String).join(',') : undefined,
            filed_on: filedAt ? stockholmDateAt(Date.parse(filedAt)) : undefined,
            has_reporter: true,
          },
        },
        timeline('concern-report', str(d.reportId), pseudonym, municipality, filedAt, false),
      ];
    }
    case 'samverkan.concern-report.protection-assessed.v1': {
      const receivedAt = Date.parse(String(d.receivedAt));
      const assessedAt = Date.parse(String(d.assessedAt));
      const due = concernReportDueTimesAt(receivedAt).protectionAssessmentDue;
      const unit = obj(d.assessingUnit);
      return [
        {
          table: 'concern_reports',
          row: {
            report_id: str(d.reportId),
            pseudonym,
            municipality: str(unit.municipality) ?? municipality,
            district: str(unit.district),
            received_on: stockholmDateAt(receivedAt),
            assessed_same_day: stockholmDateAt(assessedAt) === stockholmDateAt(receivedAt),
            assessed_in_time: assessedAt <= due,
          },
        },
        timeline('concern-report', str(d.reportId), pseudonym, municipality, str(d.receivedAt), false),
      ];
    }
    case 'samverkan.concern-report.decided.v1': {
      const receivedAt = Date.parse(String(d.receivedAt));
      const decidedAt = Date.parse(String(d.decidedAt));
      const due = concernReportDueTimesAt(receivedAt).decisionDue;
      const unit = obj(d.decidingUnit);
      const reporterUnit = d.reporterUnit === undefined ? undefined : obj(d.reporterUnit);
      const receivedOn = stockholmDateAt(receivedAt);
      const decidedOn = stockholmDateAt(decidedAt);
      return [
        {
          table: 'concern_reports',
          row: {
            report_id: str(d.reportId),
            pseudonym,
            municipality: str(unit.municipality) ?? municipality,
            district: str(unit.district),
            received_on: receivedOn,
            decided_on: decidedOn,
            decided_in_time: decidedAt <= due,
            days_to_decision: daysBetween(receivedOn, decidedOn),
            outcome: str(d.outcome),
            // Without a reporter unit the report did not come through the hub: nobody to feed back to.
            has_reporter: reporterUnit ? true : undefined,
            feedback_given: reporterUnit !== undefined,
          },
        },
        timeline('concern-report', str(d.reportId), pseudonym, municipality, str(d.receivedAt), false),
      ];
    }
    case 'samverkan.intervention.started.v1':
    case 'samverkan.intervention.ended.v1': {
      const unit = obj(d.organisationUnit);
      const code = String(d.catalogCode);
      const level = catalogEntry(code)?.preventionLevel ?? null;
      const ended = event.type === 'samverkan.intervention.ended.v1';
      const row: ProjectionRow = {
        intervention_id: str(d.interventionId),
        pseudonym,
        catalog_code: code,
        basis: str(d.basis),
        prevention_level: level,
        agency: str(unit.agency),
        unit_code: str(unit.unitCode),
        municipality: str(unit.municipality) ?? municipality,
        district: str(unit.district),
        started_on: localDay(d.startedAt),
        school_year: typeof d.schoolYear === 'number' ? d.schoolYear : undefined,
      };
      if (ended) {
        row.ended_on = localDay(d.endedAt);
        row.end_reason = str(d.reason);
      }
      return [
        { table: 'interventions', row },
        timeline(
          'intervention-started',
          str(d.interventionId),
          pseudonym,
          municipality,
          str(d.startedAt),
          isPreventive(level),
        ),
      ];
    }
    case 'samverkan.course.scheduled.v1': {
      const unit = obj(d.organisingUnit);
      const sessions = Array.isArray(d.sessions) ? (d.sessions as Data[]) : [];
      const first = sessions.map((s) => String(s.date)).sort()[0];
      return [
        {
          table: 'courses',
          row: {
            course_id: str(d.courseId),
            catalog_code: str(d.catalogCode),
            unit_code: str(unit.unitCode),
            municipality: str(unit.municipality) ?? municipality,
            district: str(unit.district),
            capacity: num(d.capacity),
            starts_on: first,
          },
        },
      ];
    }
    case 'samverkan.course.completed.v1': {
      const unit = obj(d.organisingUnit);
      const s = obj(d.summary);
      return [
        {
          table: 'courses',
          row: {
            course_id: str(d.courseId),
            catalog_code: str(d.catalogCode),
            unit_code: str(unit.unitCode),
            municipality: str(unit.municipality) ?? municipality,
            district: str(unit.district),
            capacity: num(s.capacity),
            completed_on: localDay(d.completedAt),
            summary_enrolled: num(s.enrolled),
            summary_completed: num(s.completed),
            summary_withdrawn: num(s.withdrawn),
            summary_waitlisted: num(s.waitlisted),
          },
        },
      ];
    }
    case 'samverkan.course.participant-enrolled.v1':
      return enrolment(event, { enrolled_at: str(d.enrolledAt) }, 'course-enrolled', str(d.enrolledAt));
    case 'samverkan.course.participant-waitlisted.v1':
      return enrolment(event, { waitlisted_at: str(d.waitlistedAt) }, 'course-enrolled', str(d.waitlistedAt));
    case 'samverkan.course.participant-withdrawn.v1':
      return enrolment(
        event,
        { withdrawn_at: str(d.withdrawnAt), withdrawn_from_waitlist: d.fromWaitlist === true },
        undefined,
        undefined,
      );
    case 'samverkan.course.participant-completed.v1':
      return enrolment(event, { completed_at: str(d.completedAt) }, 'course-completed', str(d.completedAt));
    case 'samverkan.school-absence.flagged.v1':
      return [
        timeline('school-absence-flagged', str(d.flagId), pseudonym, municipality, str(d.flaggedAt), false),
      ];
    default:
      return [];
  }
}

/** Preventive = catalog prevention level universal or selective (indicated is treatment-like). */
export function isPreventive(level: string | null | undefined): boolean {
  return level === 'universal' || level === 'selective';
}

function enrolment(
  event: ReportingEvent,
  columns: ProjectionRow,
  timelineKind: 'course-enrolled' | 'course-completed' | undefined,
  at: string | undefined,
): ProjectionOp[] {
  const d = (event.data ?? {}) as Data;
  const ops: ProjectionOp[] = [
    {
      table: 'course_enrolments',
      row: {
        enrollment_id: str(d.enrollmentId),
        course_id: str(d.courseId),
        pseudonym: event.subject,
        ...columns,
      },
    },
  ];
  // The follow-up is about children: a parent's participation counts for the child it concerns
  // (the subject is then the child's pseudonym); a parent with no child named counts for nobody.
  const aboutChild = d.child !== undefined || obj(d.participant).role === 'child';
  if (timelineKind && aboutChild) {
    const level = catalogEntry(String(d.catalogCode))?.preventionLevel;
    ops.push(
      timeline(timelineKind, str(d.enrollmentId), event.subject, event.municipality, at, isPreventive(level)),
    );
  }
  return ops;
}

function timeline(
  kind: string,
  refId: string | undefined,
  pseudonym: string,
  municipality: string,
  at: string | undefined,
  preventive: boolean,
): ProjectionOp {
  return {
    table: 'child_timeline',
    row: { kind, ref_id: refId, pseudonym, municipality, occurred_at: at, preventive },
  };
}

function obj(value: unknown): Data {
  return value !== null && typeof value === 'object' ? (value as Data) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function localDay(value: unknown): string | undefined {
  return typeof value === 'string' ? stockholmDateAt(Date.parse(value)) : undefined;
}
