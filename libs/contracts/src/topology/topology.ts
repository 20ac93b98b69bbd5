/**
 * The hub's Kafka topology as data: the launcher, the tests and the deploy manifests all read this
 * one declaration. Adding a consumer means adding an audience here (and rules in the sharing policy);
 * nothing in the producers changes.
 */

import { CONSUMER_AUDIENCES } from './consumers';

export const TOPIC_PREFIX = 'samverkan';

/** Services that own a database, a Kafka principal and (for producers) a source topic. */
export const PRODUCER_SERVICES = ['education', 'social-services', 'leisure'] as const;
export type ProducerService = (typeof PRODUCER_SERVICES)[number];

/** The hub's own audiences; later consumers are declared in consumers.ts. */
export const CORE_AUDIENCES = ['education', 'social-services', 'leisure', 'reporting'] as const;
export type CoreAudience = (typeof CORE_AUDIENCES)[number];

/** Audiences the router may deliver to, each read by exactly one consumer service. */
export const AUDIENCES = [...CORE_AUDIENCES, ...CONSUMER_AUDIENCES] as const;
export type Audience = (typeof AUDIENCES)[number];

export const SERVICES = [
  'education',
  'social-services',
  'leisure',
  'router',
  'reporting',
  'operations',
  ...CONSUMER_AUDIENCES,
] as const;
export type ServiceName = (typeof SERVICES)[number];

export type TopicKind = 'source' | 'audience' | 'dlq';
export type CleanupPolicy = 'delete' | 'compact';

export interface TopicSpec {
  name: string;
  kind: TopicKind;
  partitions: number;
  /** -1 keeps messages forever. */
  retentionMs: number;
  cleanupPolicy: CleanupPolicy;
  /** The service that writes to the topic in normal operation. */
  writer: ServiceName;
}

export type AclResourceType = 'topic' | 'group' | 'transactional-id' | 'cluster';
export type AclPatternType = 'literal' | 'prefixed';
export type AclOperation = 'read' | 'write' | 'describe' | 'create' | 'idempotent-write' | 'describe-configs';

export interface AclSpec {
  resourceType: AclResourceType;
  patternType: AclPatternType;
  resourceName: string;
  operations: AclOperation[];
}

export interface PrincipalSpec {
  service: ServiceName;
  /** SCRAM user name; the Kafka principal is `User:<username>`. */
  username: string;
  /** Consumer groups the service uses; each has a dead-letter topic. */
  consumerGroups: string[];
  acls: AclSpec[];
}

export interface Topology {
  topics: TopicSpec[];
  principals: PrincipalSpec[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PARTITIONS = 6;

export const sourceTopic = (service: string): string => `${TOPIC_PREFIX}.source.${service}`;
export const audienceTopic = (audience: string): string => `${TOPIC_PREFIX}.audience.${audience}`;
export const dlqTopic = (consumerGroup: string): string => `${TOPIC_PREFIX}.dlq.${consumerGroup}`;
/** Consumer group of a service reading its audience (or, for the router, every source topic). */
export const consumerGroupOf = (service: string): string => service;
/** Transactional ids of the router's consume-transform-produce loop start with this. */
export const ROUTER_TRANSACTIONAL_ID_PREFIX = `${TOPIC_PREFIX}.router`;

const topic = (resourceName: string, ...operations: AclOperation[]): AclSpec => ({
  resourceType: 'topic',
  patternType: 'literal',
  resourceName,
  operations,
});
const prefixedTopic = (resourceName: string, ...operations: AclOperation[]): AclSpec => ({
  resourceType: 'topic',
  patternType: 'prefixed',
  resourceName,
  operations,
});
const group = (resourceName: string, patternType: AclPatternType = 'literal'): AclSpec => ({
  resourceType: 'group',
  patternType,
  resourceName,
  operations: ['read', 'describe'],
});

function consumerOf(service: ServiceName): Audience | undefined {
  return (AUDIENCES as readonly string[]).includes(service) ? (service as Audience) : undefined;
}

function principalFor(service: ServiceName): PrincipalSpec {
  const acls: AclSpec[] = [];
  const consumerGroups: string[] = [];
  if ((PRODUCER_SERVICES as readonly string[]).includes(service)) {
    acls.push(topic(sourceTopic(service), 'write', 'describe'));
  }
  const audience = consumerOf(service);
  if (audience) {
    const groupId = consumerGroupOf(service);
    consumerGroups.push(groupId);
    acls.push(topic(audienceTopic(audience), 'read', 'describe'), group(groupId));
    acls.push(topic(dlqTopic(groupId), 'write', 'describe'));
  }
  if (service === 'reporting') {
    // Rebuilds replay the audience from the beginning under a fresh group id.
    acls.push(group(`${consumerGroupOf('reporting')}.rebuild.`, 'prefixed'));
  }
  if (service === 'router') {
    const groupId = consumerGroupOf('router');
    consumerGroups.push(groupId);
    acls.push(
      prefixedTopic(`${TOPIC_PREFIX}.source.`, 'read', 'describe'),
      prefixedTopic(`${TOPIC_PREFIX}.audience.`, 'write', 'describe'),
      group(groupId),
      topic(dlqTopic(groupId), 'write', 'describe'),
      {
        resourceType: 'transactional-id',
        patternType: 'prefixed',
        resourceName: ROUTER_TRANSACTIONAL_ID_PREFIX,
        operations: ['write', 'describe'],
      },
    );
  }
  if (service === 'operations') {
    // Watches every group and topic, reads dead letters and replays them to their original topic.
    acls.push(
      prefixedTopic(`${TOPIC_PREFIX}.`, 'describe', 'describe-configs'),
      prefixedTopic(`${TOPIC_PREFIX}.dlq.`, 'read', 'write'),
      prefixedTopic(`${TOPIC_PREFIX}.source.`, 'write'),
      prefixedTopic(`${TOPIC_PREFIX}.audience.`, 'write'),
      { resourceType: 'group', patternType: 'literal', resourceName: '*', operations: ['describe'] },
      group(`${consumerGroupOf('operations')}.`, 'prefixed'),
      { resourceType: 'cluster', patternType: 'literal', resourceName: 'kafka-cluster', operations: ['describe'] },
    );
  }
  return { service, username: service, consumerGroups, acls };
}

function buildTopology(): Topology {
  const topics: TopicSpec[] = [];
  for (const service of PRODUCER_SERVICES) {
    topics.push({
      name: sourceTopic(service),
      kind: 'source',
      partitions: DEFAULT_PARTITIONS,
      retentionMs: 90 * DAY_MS,
      cleanupPolicy: 'delete',
      writer: service,
    });
  }
  for (const audience of AUDIENCES) {
    topics.push({
      name: audienceTopic(audience),
      kind: 'audience',
      partitions: DEFAULT_PARTITIONS,
      // Reporting rebuilds its projections from its audience at any time, so it is kept forever.
      retentionMs: audience === 'reporting' ? -1 : 90 * DAY_MS,
      cleanupPolicy: 'delete',
      writer: 'router',
    });
  }
  const principals = SERVICES.map(principalFor);
  for (const principal of principals) {
    for (const groupId of principal.consumerGroups) {
      topics.push({
        name: dlqTopic(groupId),
        kind: 'dlq',
        partitions: 1,
        retentionMs: 30 * DAY_MS,
        cleanupPolicy: 'delete',
        writer: principal.service,
      });
    }
  }
  return { topics, principals };
}

export const topology: Topology = buildTopology();

export function principalOf(service: ServiceName): PrincipalSpec {
  const found = topology.principals.find((p) => p.service === service);
  if (!found) throw new Error(`No principal for service "${service}" in the topology`);
  return found;
}
