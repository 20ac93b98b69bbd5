import { meetsCompletionRule, type CompletionRule, type CourseSummary } from '@samverkan/contracts';

export interface HolderAttendance {
  enrollmentId: string;
  attended: number;
}

/** Completion per participant holding a place at the end, by the programme's catalog rule. */
export function completionOutcomes(
  rule: CompletionRule,
  planned: number,
  holders: readonly HolderAttendance[],
): Array<HolderAttendance & { completed: boolean }> {
  return holders.map((h) => ({ ...h, completed: meetsCompletionRule(rule, h.attended, planned) }));
}

export interface EnrollmentTally {
  status: string;
  heldPlace: boolean;
}

/** Counts only: what course.completed carries for fill, completion and dropout rates. */
export function courseSummary(
  capacity: number,
  sessionsPlanned: number,
  sessionsHeld: number,
  enrollments: readonly EnrollmentTally[],
): CourseSummary {
  const count = (test: (e: EnrollmentTally) => boolean) => enrollments.filter(test).length;
  return {
    capacity,
    enrolled: count((e) => e.heldPlace),
    completed: count((e) => e.status === 'completed'),
    notCompleted: count((e) => e.status === 'not-completed'),
    withdrawn: count((e) => e.heldPlace && e.status === 'withdrawn'),
    waitlisted: count((e) => e.status === 'waitlisted'),
    sessionsHeld,
    sessionsPlanned,
  };
}
