import { withKafkaAdmin, type KafkaAdminConnection } from '@samverkan/messaging';
import {
  createScratchDatabase,
  dropScratchDatabase,
  kafkaConnectionFor,
  loadStackInfo,
} from '@samverkan/testing';
import type { StackInfo } from '@samverkan/testing';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The running local stack, or one started the way the integration tests start it (the jest global
 * setup reuses a running stack and starts one otherwise). `release` leaves a stack it found running.
 */
export async function ensureStack(
  log: (line: string) => void,
): Promise<{ info: StackInfo; release: () => Promise<void> }> {
  try {
    const info = loadStackInfo();
    const connection = kafkaConnectionFor(info);
    await withKafkaAdmin({ ...connection, requestTimeoutMs: 5_000 }, (admin) => admin.describeCluster());
    log(`using the running stack (Kafka ${info.kafka.brokers.join(',')})`);
    return { info, release: async () => undefined };
  } catch {
    log('no running stack answered: starting it as the test setup does');
    // The test infrastructure's own entry points, so the bench and the tests see the same stack.
    const setup = await import('../../libs/testing/src/infra/global-setup');
    await setup.default();
    return { info: loadStackInfo(), release: () => setup.releaseStack() };
  }
}

export function adminConnection(info: StackInfo): KafkaAdminConnection {
  return { ...kafkaConnectionFor(info), clientId: 'samverkan-bench-admin', requestTimeoutMs: 30_000 };
}

/** Deletes the topics if they exist, then creates them empty (retrying while Kafka finishes the delete). */
export async function recreateTopics(
  connection: KafkaAdminConnection,
  topics: Array<{ name: string; partitions: number }>,
): Promise<void> {
  await withKafkaAdmin(connection, async (admin) => {
    const names = topics.map((t) => t.name);
    const existing = (await admin.listTopics()).filter((t) => names.includes(t));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 30_000 });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          timeout: 30_000,
          topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
        });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
    // Leaders may be elected before every partition answers; wait until all do.
    for (const t of topics) {
      for (;;) {
        const offsets = await admin.fetchTopicOffsets(t.name).catch(() => []);
        if (offsets.length === t.partitions) break;
        if (Date.now() > deadline) throw new Error(`topic ${t.name} not ready`);
        await sleep(200);
      }
    }
  });
}

export async function deleteTopics(connection: KafkaAdminConnection, topics: string[]): Promise<void> {
  await withKafkaAdmin(connection, (admin) => admin.deleteTopics({ topics, timeout: 30_000 })).catch(
    () => undefined,
  );
}

export { createScratchDatabase, dropScratchDatabase };
