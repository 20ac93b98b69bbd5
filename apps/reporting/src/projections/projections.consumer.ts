import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type {
  ConcernReportDecidedV1,
  ConcernReportFiledV1,
  ConcernReportProtectionAssessedV1,
  CourseCompletedV1,
  CourseParticipantCompletedV1,
  CourseParticipantEnrolledV1,
  CourseParticipantWaitlistedV1,
  CourseParticipantWithdrawnV1,
  CourseScheduledV1,
  InterventionEndedV1,
  InterventionStartedV1,
  SchoolAbsenceFlaggedV1,
  EventType,
} from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { ProjectionBatch } from './projection-batch';
import { projectEvent } from './project-event';

/**
 * The live path: each event from samverkan.audience.reporting updates the projections inside the
 * consumer kit's inbox transaction (ctx.manager), so an event counts once however often it is
 * delivered. The upserts are idempotent anyway, which is what lets a rebuild hand over to this
 * consumer without a gap (see rebuild/). Consents, attendance and places-available are not
 * projected: the module acknowledges and skips them (onNoHandler: 'skip').
 */
@Controller()
export class ProjectionsConsumer {
  @TypedEventPattern('samverkan.concern-report.filed.v1')
  async onFiled(
    @Payload() _data: ConcernReportFiledV1,
    @Ctx() ctx: SamverkanContext<'samverkan.concern-report.filed.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.concern-report.protection-assessed.v1')
  async onAssessed(
    @Payload() _data: ConcernReportProtectionAssessedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.concern-report.protection-assessed.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.concern-report.decided.v1')
  async onDecided(
    @Payload() _data: ConcernReportDecidedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.concern-report.decided.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.intervention.started.v1')
  async onInterventionStarted(
    @Payload() _data: InterventionStartedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.intervention.started.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.intervention.ended.v1')
  async onInterventionEnded(
    @Payload() _data: InterventionEndedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.intervention.ended.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.school-absence.flagged.v1')
  async onAbsenceFlagged(
    @Payload() _data: SchoolAbsenceFlaggedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.school-absence.flagged.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.scheduled.v1')
  async onCourseScheduled(
    @Payload() _data: CourseScheduledV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.scheduled.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.completed.v1')
  async onCourseCompleted(
    @Payload() _data: CourseCompletedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.completed.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.participant-enrolled.v1')
  async onEnrolled(
    @Payload() _data: CourseParticipantEnrolledV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.participant-enrolled.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.participant-waitlisted.v1')
  async onWaitlisted(
    @Payload() _data: CourseParticipantWaitlistedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.participant-waitlisted.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.participant-withdrawn.v1')
  async onWithdrawn(
    @Payload() _data: CourseParticipantWithdrawnV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.participant-withdrawn.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }

  @TypedEventPattern('samverkan.course.participant-completed.v1')
  async onParticipantCompleted(
    @Payload() _data: CourseParticipantCompletedV1,
    @Ctx() ctx: SamverkanContext<'samverkan.course.participant-completed.v1'>,
  ): Promise<void> {
    await apply(ctx);
  }
}

async function apply<T extends EventType>(ctx: SamverkanContext<T>): Promise<void> {
  const batch = new ProjectionBatch();
  batch.add(projectEvent(ctx.event));
  await batch.flush(ctx.manager);
}
