import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { isCourseProgramme, type InterventionReferredV1 } from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { Clock } from '@samverkan/platform';
import { Referral } from './referral.entity';

type Referred = 'samverkan.intervention.referred.v1';

/**
 * Referrals to course programmes from samverkan.audience.leisure (the router delivers them only
 * under a consent naming leisure). Stored in the inbox transaction, keyed by referral id, so a
 * redelivery or a replay under a new event id inserts nothing.
 */
@Controller()
export class ReferralsConsumer {
  private readonly logger = new Logger(ReferralsConsumer.name);

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @TypedEventPattern('samverkan.intervention.referred.v1')
  async onReferred(
    @Payload() data: InterventionReferredV1,
    @Ctx() ctx: SamverkanContext<Referred>,
  ): Promise<void> {
    if (!isCourseProgramme(data.catalogCode)) {
      // The policy should not deliver these; a course provider has no use for them. Ids only.
      this.logger.warn(`referral ${data.referralId} is not to a course programme; ignored`);
      return;
    }
    await ctx.manager
      .createQueryBuilder()
      .insert()
      .into(Referral)
      .values({
        referralId: data.referralId,
        eventId: ctx.event.id,
        catalogCode: data.catalogCode,
        basis: data.basis,
        childPersonnummer: data.child.personnummer,
        childProtectedIdentity: data.child.protectedIdentity ?? false,
        referringUnit: data.referringUnit,
        receivingUnit: data.receivingUnit ?? null,
        courseId: data.courseId ?? null,
        contact: data.contact ?? null,
        legalBasis: ctx.event.legalbasis ?? null,
        referredAt: new Date(data.referredAt),
        receivedAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
  }
}
