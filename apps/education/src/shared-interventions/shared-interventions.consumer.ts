import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type {
  InterventionEndedV1,
  InterventionReferredV1,
  InterventionStartedV1,
} from '@samverkan/contracts';
import { SamverkanContext, TypedEventPattern } from '@samverkan/messaging';
import { Clock } from '@samverkan/platform';
import { subjectForChild } from '../subjects/child-subjects';
import { SharedInterventionEvent } from './shared-intervention-event.entity';

type Referred = 'samverkan.intervention.referred.v1';
type Started = 'samverkan.intervention.started.v1';
type Ended = 'samverkan.intervention.ended.v1';

/**
 * Intervention events of other agencies, which the router delivers to education only under a
 * consent in force that names both agencies and interventions. Stored per child in the inbox
 * transaction; the event id is the key, so a redelivery inserts nothing.
 */
@Controller()
export class SharedInterventionsConsumer {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @TypedEventPattern('samverkan.intervention.referred.v1')
  async onReferred(
    @Payload() data: InterventionReferredV1,
    @Ctx() ctx: SamverkanContext<Referred>,
  ): Promise<void> {
    await this.store(ctx, data.child.personnummer, {
      kind: 'referred',
      interventionId: data.referralId,
      referralId: data.referralId,
      catalogCode: data.catalogCode,
      basis: data.basis,
      unitAgency: data.referringUnit.agency,
      unitCode: data.referringUnit.unitCode,
      occurredAt: new Date(data.referredAt),
      endReason: null,
    });
  }

  @TypedEventPattern('samverkan.intervention.started.v1')
  async onStarted(
    @Payload() data: InterventionStartedV1,
    @Ctx() ctx: SamverkanContext<Started>,
  ): Promise<void> {
    await this.store(ctx, data.child.personnummer, {
      kind: 'started',
      interventionId: data.interventionId,
      referralId: data.referralId ?? null,
      catalogCode: data.catalogCode,
      basis: data.basis,
      unitAgency: data.organisationUnit.agency,
      unitCode: data.organisationUnit.unitCode,
      occurredAt: new Date(data.startedAt),
      endReason: null,
    });
  }

  @TypedEventPattern('samverkan.intervention.ended.v1')
  async onEnded(@Payload() data: InterventionEndedV1, @Ctx() ctx: SamverkanContext<Ended>): Promise<void> {
    await this.store(ctx, data.child.personnummer, {
      kind: 'ended',
      interventionId: data.interventionId,
      referralId: null,
      catalogCode: data.catalogCode,
      basis: data.basis,
      unitAgency: data.organisationUnit.agency,
      unitCode: data.organisationUnit.unitCode,
      occurredAt: new Date(data.endedAt),
      endReason: data.reason,
    });
  }

  private async store(
    ctx: SamverkanContext<Referred | Started | Ended>,
    personnummer: string,
    fields: Omit<SharedInterventionEvent, 'eventId' | 'childSubject' | 'legalBasis' | 'receivedAt'>,
  ): Promise<void> {
    const childSubject = await subjectForChild(ctx.manager, personnummer);
    await ctx.manager
      .createQueryBuilder()
      .insert()
      .into(SharedInterventionEvent)
      .values({
        ...fields,
        eventId: ctx.event.id,
        childSubject,
        legalBasis: ctx.event.legalbasis ?? null,
        receivedAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
  }
}
