import { ConfigResourceTypes, type ITopicConfig } from 'kafkajs';
import type { PrincipalSpec, TopicSpec, Topology } from '@samverkan/contracts';
import { aclEntriesFor } from './acl-mapping';
import { kafkaErrorType, withKafkaAdmin, type KafkaAdminConnection } from './kafka-admin-connection';

export interface ClusterDescription {
  clusterId: string;
  controller: number | null;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
}

export interface WaitForKafkaOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Called after each failed attempt; lets a launcher print progress or notice its broker died. */
  onAttemptFailed?: (error: unknown, attempt: number) => void | Promise<void>;
}

/** Readiness: describeCluster answers (authenticated as `connection`) and a controller is elected. */
export async function waitForKafka(
  connection: KafkaAdminConnection,
  options: WaitForKafkaOptions = {},
): Promise<ClusterDescription> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  let lastError: unknown;
  while (Date.now() < deadline) {
    attempt += 1;
    try {
      const cluster = await describeKafkaCluster({ ...connection, requestTimeoutMs: 5_000 });
      if (cluster.controller !== null && cluster.brokers.length > 0) return cluster;
      lastError = new Error('cluster answered but has no controller or broker yet');
    } catch (error) {
      lastError = error;
    }
    await options.onAttemptFailed?.(lastError, attempt);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(
    `Kafka at ${connection.brokers.join(',')} was not ready within ${timeoutMs} ms (${attempt} attempts; last error: ${reason})`,
  );
}

export async function describeKafkaCluster(connection: KafkaAdminConnection): Promise<ClusterDescription> {
  return withKafkaAdmin(connection, (admin) => admin.describeCluster());
}

const topicConfigEntries = (spec: TopicSpec) => [
  { name: 'retention.ms', value: String(spec.retentionMs) },
  { name: 'cleanup.policy', value: spec.cleanupPolicy },
];

export interface EnsureTopicsResult {
  created: string[];
  partitionsIncreased: string[];
  reconfigured: string[];
  unchanged: string[];
}

/**
 * Creates missing topics, raises partition counts that are below the declaration (Kafka cannot lower
 * them) and resets retention/cleanup to the declared values. Safe to run on every start.
 */
export async function ensureTopics(
  connection: KafkaAdminConnection,
  topics: readonly TopicSpec[],
  options: { replicationFactor?: number } = {},
): Promise<EnsureTopicsResult> {
  const result: EnsureTopicsResult = {
    created: [],
    partitionsIncreased: [],
    reconfigured: [],
    unchanged: [],
  };
  if (topics.length === 0) return result;
  return withKafkaAdmin(connection, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      const configs: ITopicConfig[] = missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: options.replicationFactor ?? 1,
        configEntries: topicConfigEntries(spec),
      }));
      try {
        await admin.createTopics({ topics: configs, waitForLeaders: true, timeout: 30_000 });
      } catch (error) {
        // Another process (a parallel jest project, a second launcher) may have won the race.
        if (kafkaErrorType(error) !== 'TOPIC_ALREADY_EXISTS') throw error;
      }
      result.created.push(...missing.map((t) => t.name));
    }
    const present = topics.filter((t) => existing.has(t.name));
    if (present.length === 0) return result;
    const actual = await describeTopicsWith(
      admin,
      present.map((t) => t.name),
    );
    const grow = present.filter((spec) => (actual.get(spec.name)?.partitions ?? 0) < spec.partitions);
    if (grow.length > 0) {
      await admin.createPartitions({
        topicPartitions: grow.map((spec) => ({ topic: spec.name, count: spec.partitions })),
      });
      result.partitionsIncreased.push(...grow.map((t) => t.name));
    }
    const drifted = present.filter((spec) => {
      const a = actual.get(spec.name);
      return !a || a.retentionMs !== spec.retentionMs || a.cleanupPolicy !== spec.cleanupPolicy;
    });
    if (drifted.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: drifted.map((spec) => ({
          type: ConfigResourceTypes.TOPIC,
          name: spec.name,
          configEntries: topicConfigEntries(spec),
        })),
      });
      result.reconfigured.push(...drifted.map((t) => t.name));
    }
    const touched = new Set([...result.partitionsIncreased, ...result.reconfigured]);
    result.unchanged.push(...present.filter((t) => !touched.has(t.name)).map((t) => t.name));
    return result;
  });
}

/** Creates every ALLOW ACL the principals declare. Kafka ignores an ACL that already exists. */
export async function ensureAcls(
  connection: KafkaAdminConnection,
  principals: readonly PrincipalSpec[],
): Promise<{ aclCount: number }> {
  const acl = principals.flatMap(aclEntriesFor);
  if (acl.length === 0) return { aclCount: 0 };
  await withKafkaAdmin(connection, (admin) => admin.createAcls({ acl }));
  return { aclCount: acl.length };
}

export interface ApplyTopologyResult {
  topics: EnsureTopicsResult;
  aclCount: number;
}

/** Topics and ACLs of the whole topology; SCRAM users are the launcher's job (kafkajs cannot create them). */
export async function applyTopology(
  connection: KafkaAdminConnection,
  declared: Topology,
  options: { replicationFactor?: number } = {},
): Promise<ApplyTopologyResult> {
  const topics = await ensureTopics(connection, declared.topics, options);
  const { aclCount } = await ensureAcls(connection, declared.principals);
  return { topics, aclCount };
}

/** What the broker says about a topic, in the topology's terms. */
export interface ActualTopic {
  name: string;
  partitions: number;
  retentionMs: number;
  cleanupPolicy: string;
}

export async function describeTopics(
  connection: KafkaAdminConnection,
  names: readonly string[],
): Promise<Map<string, ActualTopic>> {
  return withKafkaAdmin(connection, (admin) => describeTopicsWith(admin, names));
}

type AdminClient = Parameters<Parameters<typeof withKafkaAdmin>[1]>[0];

async function describeTopicsWith(
  admin: AdminClient,
  names: readonly string[],
): Promise<Map<string, ActualTopic>> {
  const found = new Map<string, ActualTopic>();
  if (names.length === 0) return found;
  const existing = new Set(await admin.listTopics());
  const present = names.filter((n) => existing.has(n));
  if (present.length === 0) return found;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: ['retention.ms', 'cleanup.policy'],
    })),
  });
  for (const t of metadata.topics) {
    const resource = configs.resources.find((r) => r.resourceName === t.name);
    const value = (key: string) => resource?.configEntries.find((e) => e.configName === key)?.configValue;
    found.set(t.name, {
      name: t.name,
      partitions: t.partitions.length,
      retentionMs: Number(value('retention.ms')),
      cleanupPolicy: value('cleanup.policy') ?? '',
    });
  }
  return found;
}
