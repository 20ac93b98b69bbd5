import { AppError, AppErrorCode } from '@samverkan/platform';

/** Why a step on a concern report was refused (the 409's message says it; the code is INVALID_STATE). */
export enum ConcernReportConflict {
  ALREADY_ASSESSED = 'protection assessment already recorded for this report',
  ALREADY_DECIDED = 'decision already recorded for this report',
  NOT_ASSESSED = 'the protection assessment must be recorded before the decision',
}

interface CaseState {
  assessedAt: Date | null;
  decidedAt: Date | null;
}

function conflict(reason: ConcernReportConflict): AppError {
  return new AppError(AppErrorCode.INVALID_STATE, reason);
}

/**
 * The order the law gives the steps: the protection assessment at once, then the decision whether
 * to open an investigation (also for violence, where it is opened directly). Each happens once.
 */
export function assertCanAssess(state: CaseState): void {
  if (state.assessedAt !== null) throw conflict(ConcernReportConflict.ALREADY_ASSESSED);
}

export function assertCanDecide(state: CaseState): void {
  if (state.decidedAt !== null) throw conflict(ConcernReportConflict.ALREADY_DECIDED);
  if (state.assessedAt === null) throw conflict(ConcernReportConflict.NOT_ASSESSED);
}

/**
 * The same checks in SQL, on the intake_items row: the statement that writes a step repeats them, so
 * a step another request wrote since the check is not written twice (see ConcernReportsService.step).
 * Written `(...) IS TRUE` on purpose: as a plain `assessed_at IS NULL` the planner may match the
 * partial index of pending assessments (or decisions) and, its statistics taken while few were
 * pending, scan every pending report for the one id instead of using the primary key (seen in
 * bench:pipeline: 5 ms per step with a few thousand pending, instead of 0.03).
 */
export const CAN_ASSESS_SQL = '(assessed_at IS NULL) IS TRUE';
export const CAN_DECIDE_SQL = '(decided_at IS NULL AND assessed_at IS NOT NULL) IS TRUE';
