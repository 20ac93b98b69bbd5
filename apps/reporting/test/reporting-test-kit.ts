import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import {
  applyTransform,
  audienceTopic,
  createEvent,
  decide,
  encodeCloudEvent,
  eventSourceFor,
  NO_CONSENTS,
  type CloudEvent,
  type EventMap,
  type EventType,
  type ProducerService,
} from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { bootstrapService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, loadStackInfo } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../src/config/reporting.env';
import { ReportingModule } from '../src/reporting.module';

// The reporting app for int tests: booted as main.ts boots it, on a scratch database, with the
// `reporting` Kafka principal and a test token issuer. Events reach it the way the router sends
// them: the real policy (decide + applyTransform) pseudonymizes full source events, and the stack's
// admin principal produces the copies onto samverkan.audience.reporting.

export const PSEUDONYM_KEY = 'reporting-int-test-pseudonym-key-0123456789';
export const REPORTING_TOPIC = audienceTopic('reporting');

export interface ReportingUnderTest {
  app: INestApplication;
  issuer: TestIssuer;
  dataSource: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function startReporting(k = 5): Promise<ReportingUnderTest> {
  const info = loadStackInfo();
  const principal = info.kafka.principals.reporting;
  if (!principal) throw new Error('The stack has no Kafka principal for reporting');
  const databaseUrl = await createScratchDatabase('reporting_int');
  const issuer = await createTestIssuer();
  const env = validateEnv(ReportingEnv, {
    KAFKA_BROKERS: info.kafka.brokers.join(','),
    KAFKA_USERNAME: principal.username,
    KAFKA_PASSWORD: principal.password,
    DATABASE_URL: databaseUrl,
    REPORTING_MIN_CELL_SIZE: String(k),
  });
  const app = await bootstrapService(
    ReportingModule.forRoot(env, {
      auth: issuer.config,
      consumerGroup: `reporting.rebuild.it-${randomUUID().slice(0, 8)}`,
    }),
    {
      name: 'reporting',
      description: 'reporting under test',
      port: 0,
    },
  );
  return {
    app,
    issuer,
    dataSource: app.get(DataSource),
    databaseUrl,
    close: async () => {
      await app.close();
      await dropScratchDatabase(databaseUrl);
      await issuer.cleanup();
    },
  };
}

/** A Kafka client as the reporting principal (what the rebuild runs as). */
export function reportingKafka() {
  const info = loadStackInfo();
  const principal = info.kafka.principals.reporting;
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `reporting-int-${randomUUID().slice(0, 8)}`,
    sasl: principal,
  });
}

function adminKafka() {
  const info = loadStackInfo();
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `reporting-int-admin-${randomUUID().slice(0, 8)}`,
    sasl: info.kafka.admin,
  });
}

/** A source event as `producer` raises it. */
export function sourceEvent<T extends EventType>(
  type: T,
  producer: ProducerService,
  data: EventMap[T],
  time: string,
): CloudEvent<T, EventMap[T]> {
  return createEvent(type, {
    source: eventSourceFor(producer),
    subject: randomUUID(),
    municipality: '0781',
    time,
    data,
  });
}

/** What the router delivers to reporting for a source event (the real policy, a test key). */
export function toReporting(event: CloudEvent): CloudEvent {
  const decision = decide(event, 'reporting', NO_CONSENTS);
  const copy = applyTransform(event, decision, PSEUDONYM_KEY);
  if (!copy) throw new Error(`the policy withholds ${event.type} from reporting`);
  return copy;
}

/** Produces reporting copies onto the audience topic as the router would (keyed by the pseudonym). */
export async function produceToReporting(events: CloudEvent[], topic = REPORTING_TOPIC): Promise<void> {
  const producer = adminKafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 500) {
      await producer.send({
        topic,
        acks: -1,
        messages: events.slice(i, i + 500).map((event) => encodeCloudEvent(toReporting(event))),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A fictitious 12-digit personnummer with a valid Luhn check digit, different per `n` (< 302 400). */
export function fakePersonnummer(n: number): string {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const serial = String(100 + (Math.floor(n / 336) % 900)).padStart(3, '0');
  const nine = `14${month}${day}${serial}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const product = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return `20${nine}${(10 - (sum % 10)) % 10}`;
}
