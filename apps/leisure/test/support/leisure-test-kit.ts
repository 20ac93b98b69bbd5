import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import { encodeCloudEvent, type CloudEvent } from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { bootstrapService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, loadStackInfo } from '@samverkan/testing';
import { Clock } from '@samverkan/platform';
import { LeisureEnv } from '../../src/config/leisure.env';
import { LeisureModule } from '../../src/leisure.module';

// The leisure app for int/e2e tests: booted as main.ts boots it (bootstrapService), on a scratch
// database of its own, with the `leisure` Kafka principal, a test token issuer and a clock the test
// moves (sessions are in the future when scheduled and in the past when attendance is recorded).

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export class TestClock extends Clock {
  private at = new Date();

  get offsetMs(): number {
    return this.at.getTime() - Date.now();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date): void {
    this.at = new Date(at);
  }
}

export interface LeisureUnderTest {
  app: INestApplication;
  issuer: TestIssuer;
  clock: TestClock;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function startLeisure(extraEnv: Record<string, string> = {}): Promise<LeisureUnderTest> {
  const info = loadStackInfo();
  const principal = info.kafka.principals.leisure;
  if (!principal) throw new Error('The stack has no Kafka principal for leisure');
  const databaseUrl = await createScratchDatabase('leisure_int');
  const issuer = await createTestIssuer();
  const clock = new TestClock();
  const env = validateEnv(LeisureEnv, {
    KAFKA_BROKERS: info.kafka.brokers.join(','),
    KAFKA_USERNAME: principal.username,
    KAFKA_PASSWORD: principal.password,
    DATABASE_URL: databaseUrl,
    MUNICIPALITY: '0781',
    PLACES_AVAILABLE_SWEEP_MINUTES: '0',
    ...extraEnv,
  });
  const app = await bootstrapService(LeisureModule.forRoot(env, { auth: issuer.config, clock }), {
    name: 'leisure',
    description: 'leisure under test',
    port: 0,
  });
  return {
    app,
    issuer,
    clock,
    databaseUrl,
    close: async () => {
      await app.close();
      await dropScratchDatabase(databaseUrl);
      await issuer.cleanup();
    },
  };
}

/** The stack's admin principal: stands in for the router (writes the audience) and reads topics. */
export function adminKafka() {
  const info = loadStackInfo();
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `leisure-test-${randomUUID().slice(0, 8)}`,
    sasl: info.kafka.admin,
  });
}

export interface CollectedMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

/** Reads topics from their beginning (read_committed) into an array until closed. */
export async function collectTopics(
  topics: string[],
): Promise<{ messages: CollectedMessage[]; close: () => Promise<void> }> {
  const messages: CollectedMessage[] = [];
  const consumer = adminKafka().consumer({ groupId: `leisure-test-collector-${randomUUID().slice(0, 8)}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined)
          headers[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
      }
      messages.push({
        topic,
        key: message.key?.toString('utf8') ?? '',
        headers,
        value: message.value?.toString('utf8') ?? '',
      });
    },
  });
  return { messages, close: () => consumer.disconnect() };
}

/** Produces events in binary mode, as the router does onto an audience topic. */
export async function produceEvents(topic: string, events: CloudEvent[]): Promise<void> {
  const producer = adminKafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((event) => {
        const encoded = encodeCloudEvent(event);
        return { key: encoded.key, headers: encoded.headers, value: encoded.value };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

/** A fresh, valid 12-digit personnummer per call (topics outlive test runs). */
export function randomPnr(yearFrom = 2012, years = 6): string {
  const year = yearFrom + Math.floor(Math.random() * years);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const serial = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  const nine = `${String(year).slice(2)}${month}${day}${serial}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const p = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return `${year}${month}${day}${serial}${(10 - (sum % 10)) % 10}`;
}
