import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConcernReportDecidedV1 } from '@samverkan/contracts';
import { SamverkanBatchContext, TypedEventBatchPattern } from '@samverkan/messaging';
import { Clock } from '@samverkan/platform';
import type { EntityManager } from 'typeorm';
import type { FeedbackStatus } from '../concern-reports/concern-report.entity';
import {
  foldDecisions,
  readFeedback,
  type DecidedFeedback,
  type FoldedFeedback,
  type HeldFeedback,
} from './feedback-rules';

type Decided = 'samverkan.concern-report.decided.v1';

// Locked in id order, so two transactions over overlapping sets of reports wait for each other
// instead of deadlocking.
const LOCK_REPORTS_SQL = `
  SELECT id::text AS id, feedback_status AS status, decided_at
  FROM concern_reports
  WHERE id = ANY($1::uuid[])
  ORDER BY id
  FOR UPDATE`;

const WRITE_FEEDBACK_SQL = `
  UPDATE concern_reports r
  SET feedback_status = u.status,
      decided_at = u.decided_at,
      feedback_received_at = $5,
      feedback_event_id = u.event_id
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::uuid[]) AS u(id, status, decided_at, event_id)
  WHERE r.id = u.id`;

/**
 * Feedback to the reporter: the router delivers concern-report.decided.v1 to education minimized to
 * reportId, outcome and decidedAt. A run of decisions costs two statements whatever its length: lock
 * the reports it names, apply the decisions in order in memory (feedback-rules), write the reports
 * that changed. The update commits in the inbox transaction, so a redelivered event changes nothing
 * twice.
 */
@Controller()
export class FeedbackConsumer {
  private readonly logger = new Logger(FeedbackConsumer.name);

  // The service's clock, like every other time education records (simulated only where CLOCK_OFFSET
  // allows it): a report filed on simulated time gets its feedback on the same time line.
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @TypedEventBatchPattern('samverkan.concern-report.decided.v1')
  async onDecided(
    @Payload() _data: ConcernReportDecidedV1[],
    @Ctx() ctx: SamverkanBatchContext<Decided>,
  ): Promise<void> {
    const decisions: DecidedFeedback[] = [];
    for (const event of ctx.events) {
      const reading = readFeedback(event.data);
      if (!reading.ok) {
        // The codec validated the event already; this is a router that sent less than the minimum.
        this.logger.warn(`decided event ${event.id} ignored: ${reading.reason}`);
        continue;
      }
      decisions.push({ eventId: event.id, feedback: reading.feedback });
    }
    if (decisions.length === 0) return;

    const held = await this.lockReports(ctx.manager, [...new Set(decisions.map((d) => d.feedback.reportId))]);
    const { changed, notHeld } = foldDecisions(held, decisions);
    for (const eventId of notHeld) {
      // Feedback for a report this database does not hold (filed elsewhere, or before a restore).
      this.logger.warn(`decided event ${eventId} refers to no report held here; ignored`);
    }
    if (changed.size > 0) await this.writeFeedback(ctx.manager, changed, this.clock.now());
  }

  private async lockReports(manager: EntityManager, reportIds: string[]): Promise<Map<string, HeldFeedback>> {
    const rows: Array<{ id: string; status: FeedbackStatus; decided_at: Date | string | null }> =
      await manager.query(LOCK_REPORTS_SQL, [reportIds]);
    return new Map(
      rows.map((row) => [
        row.id,
        { status: row.status, decidedAt: row.decided_at === null ? null : new Date(row.decided_at) },
      ]),
    );
  }

  private async writeFeedback(
    manager: EntityManager,
    changed: ReadonlyMap<string, FoldedFeedback>,
    receivedAt: Date,
  ): Promise<void> {
    const ids: string[] = [];
    const statuses: string[] = [];
    const decidedAts: string[] = [];
    const eventIds: string[] = [];
    for (const [id, state] of changed) {
      ids.push(id);
      statuses.push(state.status);
      decidedAts.push(state.decidedAt.toISOString());
      eventIds.push(state.eventId);
    }
    await manager.query(WRITE_FEEDBACK_SQL, [ids, statuses, decidedAts, eventIds, receivedAt]);
  }
}
