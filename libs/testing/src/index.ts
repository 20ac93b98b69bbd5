// Public entry of @samverkan/testing: infrastructure for int/e2e tests and "eventually" helpers.
export { loadStackInfo, kafkaConnectionFor, DEFAULT_STACK_FILE } from './infra/stack-info';
export type { StackInfo, KafkaCredentials } from './infra/stack-info';
export { createScratchDatabase, dropScratchDatabase } from './infra/scratch-database';
export { eventually } from './infra/eventually';
export type { EventuallyOptions } from './infra/eventually';
export { openServiceSchema } from './infra/service-schema';
export type { ServiceSchema } from './infra/service-schema';
export { deleteTopics } from './infra/topics';
