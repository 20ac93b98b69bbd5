import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { ConcernReportFiledV1 } from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { IntakeService } from './intake.service';

type Filed = 'samverkan.concern-report.filed.v1';

/** Concern reports from samverkan.audience.social-services into the intake register. */
@Controller()
export class IntakeConsumer {
  private readonly logger = new Logger(IntakeConsumer.name);

  constructor(@Inject(IntakeService) private readonly intake: IntakeService) {}

  @TypedEventPattern('samverkan.concern-report.filed.v1')
  async onFiled(@Payload() _data: ConcernReportFiledV1, @Ctx() ctx: SamverkanContext<Filed>): Promise<void> {
    const outcome = await this.intake.register(ctx.manager, ctx.event);
    // Ids only: the report itself is personal data.
    if (outcome === 'duplicate-report') {
      this.logger.log(`report ${ctx.event.data.reportId} already in intake; event ${ctx.event.id} ignored`);
    }
  }
}
