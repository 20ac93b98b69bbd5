import type { createKafkaClient } from '@samverkan/messaging';

type Kafka = ReturnType<typeof createKafkaClient>;

/**
 * Deletes those of `topics` that exist. kafkajs retries a DeleteTopics naming a topic that is gone
 * (UNKNOWN_TOPIC_OR_PARTITION) about fifteen times over ten seconds, logging each, so names a test
 * already deleted (or never created) are left out. Any other failure is ignored too: a test's
 * clean-up must not fail the test it cleans up after.
 */
export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.filter((topic) => existing.has(topic));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
