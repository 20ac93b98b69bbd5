import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import { encodeCloudEvent, type CloudEvent } from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { bootstrapService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, loadStackInfo } from '@samverkan/testing';
import { EducationEnv } from '../src/config/education.env';
import { EducationModule } from '../src/education.module';

// The education app for int/e2e tests: booted exactly as main.ts boots it (bootstrapService), on a
// scratch database of its own, with the `education` Kafka principal and a test token issuer.

export interface EducationUnderTest {
  app: INestApplication;
  issuer: TestIssuer;
  databaseUrl: string;
  close(): Promise<void>;
}

/** `env`: more of education's variables (e.g. CLOCK_OFFSET). */
export async function startEducation(env: Record<string, string> = {}): Promise<EducationUnderTest> {
  const info = loadStackInfo();
  const principal = info.kafka.principals.education;
  if (!principal) throw new Error('The stack has no Kafka principal for education');
  const databaseUrl = await createScratchDatabase('education_e2e');
  const issuer = await createTestIssuer();
  const validated = validateEnv(EducationEnv, {
    KAFKA_BROKERS: info.kafka.brokers.join(','),
    KAFKA_USERNAME: principal.username,
    KAFKA_PASSWORD: principal.password,
    DATABASE_URL: databaseUrl,
    MUNICIPALITY: '0781',
    ...env,
  });
  const app = await bootstrapService(EducationModule.forRoot(validated, { auth: issuer.config }), {
    name: 'education',
    description: 'education under test',
    port: 0,
  });
  return {
    app,
    issuer,
    databaseUrl,
    close: async () => {
      await app.close();
      await dropScratchDatabase(databaseUrl);
      await issuer.cleanup();
    },
  };
}

/** A Kafka client as the stack's admin principal, standing in for the router and for observers. */
export function adminKafka() {
  const info = loadStackInfo();
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `education-e2e-${randomUUID().slice(0, 8)}`,
    sasl: info.kafka.admin,
  });
}

export interface CollectedMessage {
  partition: number;
  key: string;
  headers: Record<string, string>;
  value: string;
}

/** Reads a topic from its beginning into an array until closed (a fresh group, committing nothing). */
export async function collectTopic(
  topic: string,
): Promise<{ messages: CollectedMessage[]; close: () => Promise<void> }> {
  const messages: CollectedMessage[] = [];
  const consumer = adminKafka().consumer({ groupId: `education-e2e-collector-${randomUUID().slice(0, 8)}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined)
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

/**
 * Produces events in binary mode, as the router does onto an audience topic. `partition` puts them
 * all on one partition (keys still as the router sets them), so they reach the consumer as one run.
 */
export async function produceEvents(
  topic: string,
  events: CloudEvent[],
  options: { partition?: number } = {},
): Promise<void> {
  const producer = adminKafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((event) => {
        const encoded = encodeCloudEvent(event);
        return {
          key: encoded.key,
          headers: encoded.headers,
          value: encoded.value,
          partition: options.partition,
        };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Who is in a consumer group right now. The `education` group is shared by every education process on
 * the stack (its ACL allows no other group), so another one running (e.g. `npm start`) takes some of
 * the audience's partitions; a failing wait on the audience shows this.
 */
export async function groupMembers(groupId: string): Promise<Array<{ clientId: string; host: string }>> {
  const admin = adminKafka().admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((m) => ({ clientId: m.clientId, host: m.clientHost }));
  } finally {
    await admin.disconnect();
  }
}
