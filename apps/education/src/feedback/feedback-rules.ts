import { CONCERN_DECISION_OUTCOMES, type ConcernDecisionOutcome } from '@samverkan/contracts';
import type { FeedbackStatus } from '../concern-reports/concern-report.entity';

/**
 * What education may learn back about a report it filed (the router's minimized copy of
 * concern-report.decided.v1): the report id, the outcome and when it was decided. Nothing else is
 * read from the event, so the handler works with exactly those three fields.
 */
export interface ReporterFeedback {
  reportId: string;
  outcome: ConcernDecisionOutcome;
  decidedAt: Date;
}

export type FeedbackReading = { ok: true; feedback: ReporterFeedback } | { ok: false; reason: string };

export function readFeedback(data: {
  reportId?: unknown;
  outcome?: unknown;
  decidedAt?: unknown;
}): FeedbackReading {
  const { reportId, outcome, decidedAt } = data;
  if (typeof reportId !== 'string' || reportId.length === 0) return { ok: false, reason: 'reportId missing' };
  if (!(CONCERN_DECISION_OUTCOMES as readonly unknown[]).includes(outcome))
    return { ok: false, reason: 'unknown outcome' };
  const decided = typeof decidedAt === 'string' ? new Date(decidedAt) : undefined;
  if (!decided || Number.isNaN(decided.getTime()))
    return { ok: false, reason: 'decidedAt missing or invalid' };
  return { ok: true, feedback: { reportId, outcome: outcome as ConcernDecisionOutcome, decidedAt: decided } };
}

/**
 * Whether a decision replaces the report's current feedback. A report normally gets one decision;
 * if social services corrects it, the later decision wins, and an older one arriving late never
 * overwrites a newer one.
 */
export function supersedes(
  current: { status: FeedbackStatus; decidedAt: Date | null },
  incoming: ReporterFeedback,
): boolean {
  if (current.status === 'awaiting' || current.decidedAt === null) return true;
  return incoming.decidedAt.getTime() >= current.decidedAt.getTime();
}
