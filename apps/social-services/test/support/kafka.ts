import { randomUUID } from 'node:crypto';
import { encodeCloudEvent, type CloudEvent } from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { loadStackInfo } from '@samverkan/testing';

// Test-side Kafka through @samverkan/messaging's client factory (only libs/messaging imports kafkajs).
export type Kafka = ReturnType<typeof createKafkaClient>;

export interface CollectedMessage {
  partition: number;
  key: string;
  headers: Record<string, string>;
  value: string;
}

/** The stack's admin principal: plays the router (writes the audience topic) and reads source topics. */
export function adminKafka(): Kafka {
  const info = loadStackInfo();
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `social-services-test-${randomUUID().slice(0, 8)}`,
    sasl: info.kafka.admin,
  });
}

/** Sends events as the router would deliver them: binary-mode CloudEvents, ce_legalbasis set. */
export async function produceEvents(
  kafka: Kafka,
  topic: string,
  events: Array<{ event: CloudEvent; partition?: number }>,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: events.map(({ event, partition }) => {
        const encoded = encodeCloudEvent(event);
        return { key: encoded.key, value: encoded.value, headers: encoded.headers, partition };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).length;
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from the beginning (read_committed) into an array until closed. */
export async function collectTopic(
  kafka: Kafka,
  topic: string,
): Promise<{ messages: CollectedMessage[]; close: () => Promise<void> }> {
  const messages: CollectedMessage[] = [];
  const consumer = kafka.consumer({ groupId: `social-services-test-collector-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (value === undefined) continue;
        const first = Array.isArray(value) ? value[0] : value;
        headers[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
      }
      messages.push({
        partition,
        key: message.key?.toString('utf8') ?? '',
        headers,
        value: message.value?.toString('utf8') ?? '',
      });
    },
  });
  return { messages, close: () => consumer.disconnect() };
}
