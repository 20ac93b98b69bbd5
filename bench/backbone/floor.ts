import { encodeCloudEvent } from '@samverkan/contracts';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { Progress } from '../lib/report';
import type { EventFactory } from './workload';

export interface FloorConfig {
  sendBatchSize: number;
  sendsInFlight: number;
}

export interface FloorResult {
  eventsPerSecond: number;
  produceSeconds: number;
  consumeSeconds: number;
  totalSeconds: number;
}

/**
 * The raw floor: a plain kafkajs producer sends N messages (the same key, headers and 1 KiB value the
 * backbone carries), then a plain consumer reads them back. No database, no validation.
 */
export async function runFloor(
  kafka: Kafka,
  topic: string,
  events: number,
  factory: EventFactory,
  config: FloorConfig,
): Promise<FloorResult> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const started = Date.now();
  const progress = new Progress('floor produce', events);
  let made = 0;
  let sent = 0;
  const nextBatch = (): Message[] => {
    const messages: Message[] = [];
    while (made < events && messages.length < config.sendBatchSize) {
      const encoded = encodeCloudEvent(factory.next());
      messages.push({ key: encoded.key, value: encoded.value, headers: encoded.headers });
      made++;
    }
    return messages;
  };
  const sender = async (): Promise<void> => {
    for (let messages = nextBatch(); messages.length > 0; messages = nextBatch()) {
      await producer.send({ topic, acks: -1, messages });
      sent += messages.length;
      progress.update(sent);
    }
  };
  await Promise.all(Array.from({ length: config.sendsInFlight }, sender));
  progress.done();
  const produced = Date.now();
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `bench-floor-${started}`, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const consumeProgress = new Progress('floor consume', events);
  let received = 0;
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        partitionsConsumedConcurrently: 6,
        eachBatch: async ({ batch }) => {
          received += batch.messages.length;
          consumeProgress.update(received);
          if (received >= events && !finished) {
            finished = Date.now();
            resolve();
          }
        },
      })
      .catch(reject);
  });
  consumeProgress.done();
  await consumer.disconnect();
  const totalSeconds = (finished - started) / 1000;
  return {
    eventsPerSecond: Math.round(events / totalSeconds),
    produceSeconds: (produced - started) / 1000,
    consumeSeconds: (finished - produced) / 1000,
    totalSeconds,
  };
}
