import { daysBetween, instantOf, localDateOf } from '@samverkan/calendar';
import {
  allowsEnrolmentAfter,
  isCourseProgramme,
  type InterventionBasis,
  type InterventionCatalogEntry,
} from '@samverkan/contracts';
import type { FieldError } from '@samverkan/platform';
import type { ScheduleCourseRequest } from './course.dto';

export interface PlannedSession {
  number: number;
  date: string;
  startTime?: string;
  minutes: number;
}

/**
 * The course must be what the catalog says the programme is: a course programme, given on a basis
 * it allows, for ages within its own, with its session plan (as many sessions, each as long, the
 * prescribed days apart) and no more places than its group size. Fields are named, values never.
 */
export function courseRuleErrors(
  request: ScheduleCourseRequest,
  entry: InterventionCatalogEntry,
  today: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!isCourseProgramme(entry.code) || !entry.sessionPlan) {
    return [
      {
        field: 'programmeCode',
        message:
          'programmeCode must be a course programme (a parent programme or child group with a session plan)',
      },
    ];
  }
  const plan = entry.sessionPlan;
  if (request.basis && !entry.bases.includes(request.basis)) {
    errors.push({
      field: 'basis',
      message: `basis must be one the programme allows: ${entry.bases.join(', ')}`,
    });
  }
  const ages = request.targetAges;
  if (ages.min > ages.max) {
    errors.push({ field: 'targetAges.max', message: 'targetAges.max must not be below targetAges.min' });
  } else if (ages.min < entry.targetAges.min || ages.max > entry.targetAges.max) {
    errors.push({
      field: 'targetAges',
      message: `targetAges must lie within the programme's ages ${entry.targetAges.min}–${entry.targetAges.max}`,
    });
  }
  if (entry.groupSize && request.capacity > entry.groupSize.max) {
    errors.push({
      field: 'capacity',
      message: `capacity must be at most the programme's group size ${entry.groupSize.max}`,
    });
  }
  const sessions = request.sessions;
  if (sessions.length !== plan.sessions) {
    errors.push({ field: 'sessions', message: `sessions must be the programme's ${plan.sessions} sessions` });
    return errors;
  }
  sessions.forEach((session, i) => {
    if (session.number !== i + 1) {
      errors.push({
        field: `sessions.${i}.number`,
        message: `sessions must be numbered 1 to ${plan.sessions} in order`,
      });
    }
    if (session.minutes !== plan.minutesPerSession) {
      errors.push({
        field: `sessions.${i}.minutes`,
        message: `minutes must be the programme's ${plan.minutesPerSession} minutes per session`,
      });
    }
    if (i === 0) {
      if (session.date < today)
        errors.push({ field: 'sessions.0.date', message: 'the first session must not be in the past' });
      return;
    }
    const previous = sessions[i - 1];
    const gap = daysBetween(previous.date, session.date);
    // Where the manual prescribes no interval, two sessions may share a day, one after the other.
    const laterSameDay =
      !plan.intervalDays &&
      !!previous.startTime &&
      !!session.startTime &&
      session.startTime > previous.startTime;
    if (gap < 0 || (gap === 0 && !laterSameDay)) {
      errors.push({
        field: `sessions.${i}.date`,
        message:
          'sessions must be in order: on successive dates, or later the same day where the plan sets no interval',
      });
    } else if (plan.intervalDays && (gap < plan.intervalDays.min || gap > plan.intervalDays.max)) {
      errors.push({
        field: `sessions.${i}.date`,
        message: `sessions must be ${plan.intervalDays.min}–${plan.intervalDays.max} days apart`,
      });
    }
  });
  return errors;
}

/** The basis a course is given on: as asked, else as a service when the programme may be given so. */
export function courseBasis(
  requested: InterventionBasis | undefined,
  entry: InterventionCatalogEntry,
): InterventionBasis {
  if (requested) return requested;
  return entry.bases.includes('service-without-needs-assessment')
    ? 'service-without-needs-assessment'
    : 'after-decision';
}

/** When a session starts: its local start time, or the start of its day when none is set. */
export function sessionStart(session: PlannedSession): Date {
  return instantOf(session.date, session.startTime ?? '00:00');
}

/** How many sessions have begun at `now` (by the plan's dates and times, or by recorded attendance). */
export function sessionsStarted(sessions: readonly PlannedSession[], now: Date, recorded = 0): number {
  const byClock = sessions.filter((s) => sessionStart(s).getTime() <= now.getTime()).length;
  return Math.max(byClock, recorded);
}

/** Whether the course takes new participants now, by the programme's late-enrolment rule. */
export function takesParticipants(
  entry: InterventionCatalogEntry,
  sessions: readonly PlannedSession[],
  now: Date,
  recorded = 0,
): { open: boolean; late: boolean } {
  const started = sessionsStarted(sessions, now, recorded);
  if (started >= sessions.length) return { open: false, late: true };
  return { open: allowsEnrolmentAfter(entry.lateEnrolment, started), late: started > 0 };
}

/** "Close to the start": the first session is at most `windowDays` Stockholm days away (and not past). */
export function isCloseToStart(startsOn: string, now: Date, windowDays: number): boolean {
  const days = daysBetween(localDateOf(now), startsOn);
  return days >= 0 && days <= windowDays;
}
