import { topology } from '@samverkan/contracts';
import { describeTopics, kafkaErrorType, withKafkaAdmin } from '@samverkan/messaging';
import { kafkaConnectionFor, loadStackInfo } from '@samverkan/testing';

/** Every topic the topology declares exists on the broker exactly as declared. */
describe('topology on the broker', () => {
  const info = loadStackInfo();
  const admin = kafkaConnectionFor(info);

  it('has every declared topic with its partitions, retention and cleanup policy', async () => {
    const actual = await describeTopics(
      admin,
      topology.topics.map((t) => t.name),
    );
    const declared = topology.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      retentionMs: t.retentionMs,
      cleanupPolicy: t.cleanupPolicy,
    }));
    expect(declared.map((d) => actual.get(d.name) ?? { name: d.name, missing: true })).toEqual(declared);
  });

  it('does not create topics on demand (auto topic creation is off)', async () => {
    const name = `samverkan.test.never-created-${Date.now()}`;
    const error = await withKafkaAdmin(admin, (client) => client.fetchTopicMetadata({ topics: [name] })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(kafkaErrorType(error)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});
