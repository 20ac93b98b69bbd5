import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConcernReportFiledV1 } from '@samverkan/contracts';
import { SamverkanBatchContext, TypedEventBatchPattern } from '@samverkan/messaging';
import { IntakeService } from './intake.service';

type Filed = 'samverkan.concern-report.filed.v1';

/**
 * Concern reports from samverkan.audience.social-services into the intake register: a run of reports
 * is registered in two statements, not two per report (the intake keeps up with the school's rate).
 */
@Controller()
export class IntakeConsumer {
  private readonly logger = new Logger(IntakeConsumer.name);

  constructor(@Inject(IntakeService) private readonly intake: IntakeService) {}

  @TypedEventBatchPattern('samverkan.concern-report.filed.v1')
  async onFiled(
    @Payload() _data: ConcernReportFiledV1[],
    @Ctx() ctx: SamverkanBatchContext<Filed>,
  ): Promise<void> {
    const outcomes = await this.intake.registerMany(ctx.manager, ctx.events);
    outcomes.forEach((outcome, i) => {
      // Ids only: the report itself is personal data.
      if (outcome === 'duplicate-report') {
        const event = ctx.events[i];
        this.logger.log(`report ${event.data.reportId} already in intake; event ${event.id} ignored`);
      }
    });
  }
}
