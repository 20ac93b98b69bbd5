import { kafkaConnectionFor, loadStackInfo } from '@samverkan/testing';
import type { Kafka } from 'kafkajs';
import { ConsumerGroupInspector } from '../src';
import { adminKafka, createTopics, deleteTopics, uniqueName } from './messaging-test-kit';

jest.setTimeout(120_000);

// The console's inspector lives as long as the operations app. kafkajs keeps every topic it has asked
// about in its metadata targets; once one of them is deleted, each later metadata refresh fails with
// "This server does not host this topic-partition" — for every group and topic, for good.
describe('ConsumerGroupInspector after a topic it has seen is deleted', () => {
  let kafka: Kafka;
  let inspector: ConsumerGroupInspector;
  const doomed = uniqueName('inspector-doomed');
  const kept = uniqueName('inspector-kept');

  beforeAll(async () => {
    kafka = adminKafka();
    await createTopics(kafka, [
      { name: doomed, partitions: 2 },
      { name: kept, partitions: 2 },
    ]);
    inspector = new ConsumerGroupInspector(kafkaConnectionFor(loadStackInfo()));
  });

  afterAll(async () => {
    await inspector?.disconnect();
    await deleteTopics(kafka, [doomed, kept]);
  });

  it('goes on answering for the topics and groups that remain', async () => {
    expect((await inspector.topicOffsets(doomed)).map((o) => o.partition)).toEqual([0, 1]);
    expect(await inspector.topicExists(doomed)).toBe(true);
    await deleteTopics(kafka, [doomed]);

    expect(await inspector.topicExists(doomed)).toBe(false);
    expect((await inspector.topicOffsets(kept)).map((o) => o.partition)).toEqual([0, 1]);
    const lag = await inspector.describeConsumerGroupLag(uniqueName('inspector-group'), { topics: [kept] });
    expect(lag.partitions.map((p) => p.partition).sort()).toEqual([0, 1]);
  });
});
