import { AppError, AppErrorCode } from '@samverkan/platform';

/** How an investigation came to be opened (SoL 11:1: on a report, an application, or otherwise). */
export const INVESTIGATION_TRIGGERS = ['concern-report', 'application', 'other-information'] as const;
export type InvestigationTrigger = (typeof INVESTIGATION_TRIGGERS)[number];

/** Opened over POST /investigations; a report opens one only through its decision. */
export const DIRECT_INVESTIGATION_TRIGGERS = [
  'application',
  'other-information',
] as const satisfies readonly InvestigationTrigger[];
export type DirectInvestigationTrigger = (typeof DIRECT_INVESTIGATION_TRIGGERS)[number];

/**
 * The special reasons an extension may be decided for, as codes: the reasons themselves belong in
 * the case file, never in an event, a log or a metric.
 */
export const INVESTIGATION_EXTENSION_REASONS = [
  'awaiting-police-or-prosecutor',
  'awaiting-expert-statement',
  'child-or-guardian-unavailable',
  'complex-case',
  'other-special-reasons',
] as const;
export type InvestigationExtensionReason = (typeof INVESTIGATION_EXTENSION_REASONS)[number];

/** Why a step on an investigation was refused (the 409's message says it; the code is INVALID_STATE). */
export enum InvestigationConflict {
  ALREADY_CLOSED = 'the investigation is already closed',
  EXTENSION_TOO_LATE = 'the deadline has passed; an extension must be decided before it',
}

interface InvestigationState {
  closedAt: Date | null;
  dueAt: Date;
}

function conflict(reason: InvestigationConflict): AppError {
  return new AppError(AppErrorCode.INVALID_STATE, reason);
}

export function assertCanClose(state: InvestigationState): void {
  if (state.closedAt !== null) throw conflict(InvestigationConflict.ALREADY_CLOSED);
}

/**
 * An extension is a decision taken while the investigation runs and before its deadline has passed
 * (a deadline cannot be extended after the fact); it may be extended again, each time further.
 */
export function assertCanExtend(state: InvestigationState, decidedAt: Date): void {
  if (state.closedAt !== null) throw conflict(InvestigationConflict.ALREADY_CLOSED);
  if (decidedAt.getTime() > state.dueAt.getTime()) throw conflict(InvestigationConflict.EXTENSION_TOO_LATE);
}
