import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConcernReportDecidedV1 } from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { ConcernReport } from '../concern-reports/concern-report.entity';
import { readFeedback, supersedes } from './feedback-rules';

type Decided = 'samverkan.concern-report.decided.v1';

/**
 * Feedback to the reporter: the router delivers concern-report.decided.v1 to education minimized to
 * reportId, outcome and decidedAt. The update commits in the inbox transaction, so a redelivered
 * event changes nothing twice.
 */
@Controller()
export class FeedbackConsumer {
  private readonly logger = new Logger(FeedbackConsumer.name);

  @TypedEventPattern('samverkan.concern-report.decided.v1')
  async onDecided(
    @Payload() data: ConcernReportDecidedV1,
    @Ctx() ctx: SamverkanContext<Decided>,
  ): Promise<void> {
    const reading = readFeedback(data);
    if (!reading.ok) {
      // The codec validated the event already; this is a router that sent less than the minimum.
      this.logger.warn(`decided event ${ctx.event.id} ignored: ${reading.reason}`);
      return;
    }
    const { feedback } = reading;
    const report = await ctx.manager.findOne(ConcernReport, {
      where: { id: feedback.reportId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!report) {
      // Feedback for a report this database does not hold (filed elsewhere, or before a restore).
      this.logger.warn(`decided event ${ctx.event.id} refers to no report held here; ignored`);
      return;
    }
    if (!supersedes({ status: report.feedbackStatus, decidedAt: report.decidedAt }, feedback)) return;
    await ctx.manager.update(
      ConcernReport,
      { id: report.id },
      {
        feedbackStatus: feedback.outcome,
        decidedAt: feedback.decidedAt,
        feedbackReceivedAt: new Date(),
        feedbackEventId: ctx.event.id,
      },
    );
  }
}
