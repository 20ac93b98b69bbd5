/** Injection tokens of apps/operations. */
export const OPERATIONS_ENV = Symbol('OPERATIONS_ENV');
/** The operations principal's KafkaAdminConnection (brokers + SCRAM credentials). */
export const OPERATIONS_KAFKA = Symbol('OPERATIONS_KAFKA');
