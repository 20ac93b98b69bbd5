import {
  concernReportDeadlines,
  WorkingDayCalendar,
  type ConcernReportDeadlineOptions,
  type ConcernReportDeadlines,
} from '@samverkan/calendar';
import type { ConcernCategory } from '@samverkan/contracts';
import type { SocialServicesEnv } from '../config/social-services.env';

/** What can be overdue in the intake; also the `kind` label of samverkan_intake_overdue. */
export const OVERDUE_KINDS = ['protection-assessment', 'decision'] as const;
export type OverdueKind = (typeof OVERDUE_KINDS)[number];

/**
 * Categories that mean suspected violence against the child. Then an investigation is opened
 * directly (legal frame): the intake flags it so nobody spends the 14 days on a förhandsbedömning.
 */
export const VIOLENCE_CATEGORIES: readonly ConcernCategory[] = ['physical-violence', 'sexual-abuse'];

export function isViolenceSuspected(categories: readonly ConcernCategory[]): boolean {
  return categories.some((c) => VIOLENCE_CATEGORIES.includes(c));
}

/** Deadline options from the app's environment, with one calendar (holidays cached) for the app's life. */
export function deadlineOptionsFrom(env: SocialServicesEnv): ConcernReportDeadlineOptions {
  return {
    officeHours: { opens: env.INTAKE_OFFICE_OPENS, closes: env.INTAKE_OFFICE_CLOSES },
    decisionDueOnWorkingDay: env.INTAKE_DECISION_DUE_ON_WORKING_DAY,
    calendar: new WorkingDayCalendar({ extraNonWorkingDays: env.INTAKE_EXTRA_NON_WORKING_DAYS }),
  };
}

/**
 * When social services received a report: when it was filed, since the hub delivers at once and a
 * delay inside the hub must not buy the office time; but never later than now (a filer's clock
 * running ahead must not push the deadlines out either).
 */
export function receiptTimeOf(filedAt: Date, registeredAt: Date): Date {
  return filedAt.getTime() <= registeredAt.getTime() ? filedAt : registeredAt;
}

export function deadlinesFor(
  receivedAt: Date,
  options: ConcernReportDeadlineOptions,
): ConcernReportDeadlines {
  return concernReportDeadlines(receivedAt, options);
}

export interface DeadlineState {
  protectionAssessmentDue: Date;
  decisionDue: Date;
  assessedAt: Date | null;
  decidedAt: Date | null;
}

/** What is overdue at `now`: a step past its due time and not done. Due times are inclusive. */
export function overdueKinds(item: DeadlineState, now: Date): OverdueKind[] {
  const out: OverdueKind[] = [];
  if (item.assessedAt === null && now.getTime() > item.protectionAssessmentDue.getTime()) {
    out.push('protection-assessment');
  }
  if (item.decidedAt === null && now.getTime() > item.decisionDue.getTime()) out.push('decision');
  return out;
}
