// Kafka administration for the launcher, the test infrastructure and operations: readiness, topics and
// ACLs from the topology, and access probes. Producers and consumers live in their own folders.
export * from './kafka-admin-connection';
export * from './acl-mapping';
export * from './topology-admin';
export * from './access-probe';
export * from './consumer-group-lag';
export * from './topic-reader';
