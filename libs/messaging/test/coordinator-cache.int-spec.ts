import { ROUTER_TRANSACTIONAL_ID_PREFIX } from '@samverkan/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { loadStackInfo } from '@samverkan/testing';
import { adminKafka, createTopics, deleteTopics, uniqueName } from './messaging-test-kit';

jest.setTimeout(120_000);

/**
 * Runs `transactions` transactions (a send, the consumer group's offsets, a commit) and counts the
 * requests kafkajs made, by API.
 */
async function runTransactions(kafka: Kafka, topic: string, group: string, transactions: number) {
  const producer: Producer = kafka.producer({
    transactionalId: `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${uniqueName('coordinator')}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  const requests = new Map<string, number>();
  producer.on(producer.events.REQUEST, ({ payload }) =>
    requests.set(payload.apiName, (requests.get(payload.apiName) ?? 0) + 1),
  );
  await producer.connect();
  try {
    for (let i = 0; i < transactions; i++) {
      const tx = await producer.transaction();
      await tx.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: String(i) }] });
      await tx.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: String(i) }] }],
      });
      await tx.commit();
    }
  } finally {
    await producer.disconnect();
  }
  return requests;
}

describe('coordinator cache (real Kafka)', () => {
  const topic = `samverkan.test.${uniqueName('coordinator')}`;
  const group = uniqueName('coordinator-group');

  beforeAll(async () => createTopics(adminKafka(), [{ name: topic, partitions: 1 }]));
  afterAll(async () => deleteTopics(adminKafka(), [topic]));

  it('a transactional producer finds its coordinators once, not before each request of every transaction', async () => {
    const info = loadStackInfo();
    const plain = new Kafka({
      clientId: uniqueName('plain'),
      logLevel: logLevel.NOTHING,
      brokers: info.kafka.brokers,
      sasl: { mechanism: 'scram-sha-256', ...info.kafka.admin },
    });
    const uncached = await runTransactions(plain, topic, group, 10);
    const cached = await runTransactions(adminKafka(), topic, group, 10);

    // Same work on the broker either way ...
    for (const api of ['EndTxn', 'AddOffsetsToTxn', 'TxnOffsetCommit'])
      expect([api, cached.get(api)]).toEqual([api, uncached.get(api)]);
    expect(cached.get('EndTxn')).toBe(10);
    // ... but kafkajs on its own asks for the coordinator four times a transaction; cached, once per
    // coordinator (the transaction's and the group's), plus its own look-up at connect.
    expect(uncached.get('GroupCoordinator')).toBeGreaterThanOrEqual(40);
    expect(cached.get('GroupCoordinator')).toBeLessThanOrEqual(3);
  });
});
