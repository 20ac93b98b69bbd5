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
  // Lower case, as PostgreSQL prints a uuid: the id is matched against report ids read back from the
  // database (foldDecisions), and the codec accepts a uuid in either case.
  return {
    ok: true,
    feedback: {
      reportId: reportId.toLowerCase(),
      outcome: outcome as ConcernDecisionOutcome,
      decidedAt: decided,
    },
  };
}

/** A report's feedback as stored: what a decision is compared with. */
export interface HeldFeedback {
  status: FeedbackStatus;
  decidedAt: Date | null;
}

/**
 * Whether a decision replaces the report's current feedback. A report normally gets one decision;
 * if social services corrects it, the later decision wins, and an older one arriving late never
 * overwrites a newer one.
 */
export function supersedes(current: HeldFeedback, incoming: ReporterFeedback): boolean {
  if (current.status === 'awaiting' || current.decidedAt === null) return true;
  return incoming.decidedAt.getTime() >= current.decidedAt.getTime();
}

/** A decision read from one event, with that event's id. */
export interface DecidedFeedback {
  eventId: string;
  feedback: ReporterFeedback;
}

/** A report's feedback after a run of decisions, with the event that set it. */
export interface FoldedFeedback {
  status: ConcernDecisionOutcome;
  decidedAt: Date;
  eventId: string;
}

/**
 * Applies a run of decisions, in their order, to the reports' stored feedback, exactly as applying
 * them one at a time with supersedes() would (several decisions for one report in a run: each is
 * compared with the state the previous ones left). Returns the final state of every report that at
 * least one decision replaced (the rows to write; a report no decision replaced is left out), and the
 * ids of the events about a report `held` does not contain, in order. `held` is not modified.
 */
export function foldDecisions(
  held: ReadonlyMap<string, HeldFeedback>,
  decisions: readonly DecidedFeedback[],
): { changed: Map<string, FoldedFeedback>; notHeld: string[] } {
  const current = new Map<string, HeldFeedback>(held);
  const changed = new Map<string, FoldedFeedback>();
  const notHeld: string[] = [];
  for (const { eventId, feedback } of decisions) {
    const state = current.get(feedback.reportId);
    if (!state) {
      notHeld.push(eventId);
      continue;
    }
    if (!supersedes(state, feedback)) continue;
    const next = { status: feedback.outcome, decidedAt: feedback.decidedAt, eventId };
    current.set(feedback.reportId, next);
    changed.set(feedback.reportId, next);
  }
  return { changed, notHeld };
}
