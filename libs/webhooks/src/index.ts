// Public entry of @samverkan/webhooks: delivering an audience to an HTTPS receiver instead of a Kafka consumer.
export * from './errors';
export * from './subscribers/webhook-url';
export * from './signing/standard-webhooks';
export * from './rate-limit/token-bucket';
export * from './delivery/cloud-event-http';
export * from './delivery/webhook-delivery';
export * from './status/webhook-delivery-status.entity';
export * from './status/webhook-deliveries.migration';
export * from './status/webhook-handler';
export * from './status/webhook-status.controller';
export * from './config/webhook-service.env';
export * from './config/webhook-delivery-config';
export * from './nest/webhook-delivery.module';
