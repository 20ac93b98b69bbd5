// Public entry of @samverkan/messaging: the only place in the hub that talks to Kafka.
export * from './admin';
