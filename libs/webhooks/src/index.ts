// Public entry of @samverkan/webhooks: delivering an audience to an HTTPS receiver instead of a Kafka consumer.
export * from './errors';
export * from './subscribers/webhook-url';
export * from './signing/standard-webhooks';
export * from './rate-limit/token-bucket';
export * from './delivery/cloud-event-http';
export * from './delivery/webhook-delivery';
