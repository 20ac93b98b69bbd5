import { Controller, Inject, Module, UseFilters, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, type CloudEvent } from '@samverkan/contracts';
import { SAMVERKAN_TRANSPORT, SamverkanContext, SamverkanExceptionFilter } from '@samverkan/messaging';
import { DataSource } from 'typeorm';
import type { WebhookDeliveryConfig } from '../config/webhook-delivery-config';
import { WebhookDeliveryStatus } from '../status/webhook-delivery-status.entity';
import { webhookHandler } from '../status/webhook-handler';
import { WEBHOOK_SUBSCRIBER_INFO, WebhookStatusController } from '../status/webhook-status.controller';

export const WEBHOOK_DELIVERY_CONFIG = Symbol('WEBHOOK_DELIVERY_CONFIG');

/** The app's own tables for webhook delivery (the service kit adds the outbox and inbox). */
export const WEBHOOK_ENTITIES = [WebhookDeliveryStatus];

/**
 * One consumer-kit handler for every event type: whatever the sharing policy lets through to the
 * audience is posted to the subscriber. The kit has validated the event against its contract and
 * opened the inbox transaction; the delivery is the effect.
 */
@Controller()
export class WebhookForwarder {
  private readonly deliver: (event: CloudEvent, context: { attempt: number }) => Promise<void>;

  constructor(
    @Inject(WEBHOOK_DELIVERY_CONFIG) config: WebhookDeliveryConfig,
    @Inject(DataSource) dataSource: DataSource,
  ) {
    this.deliver = webhookHandler(config.subscriber, dataSource, {
      retry: config.retry,
      timeoutMs: config.timeoutMs,
    });
  }

  @EventPattern([...EVENT_TYPES], SAMVERKAN_TRANSPORT)
  @UseFilters(SamverkanExceptionFilter)
  async forward(@Payload() _data: unknown, @Ctx() ctx: SamverkanContext): Promise<void> {
    await this.deliver(ctx.event, ctx);
  }
}

/**
 * Delivers the app's audience to its webhook subscriber and serves GET /webhooks/status and
 * /webhooks/deliveries for the operations console. Import it next to ServiceKitModule, whose
 * consumer must run with webhookConsumerSettings(config) and whose entities and migrations must
 * include WEBHOOK_ENTITIES and WEBHOOK_MIGRATIONS.
 */
@Module({})
export class WebhookDeliveryModule {
  static forSubscriber(config: WebhookDeliveryConfig): DynamicModule {
    return {
      module: WebhookDeliveryModule,
      controllers: [WebhookForwarder, WebhookStatusController],
      providers: [
        { provide: WEBHOOK_DELIVERY_CONFIG, useValue: config },
        { provide: WEBHOOK_SUBSCRIBER_INFO, useValue: config.info },
      ],
    };
  }
}
