import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { TestIssuer } from '@samverkan/auth';
import { validateEnv } from '@samverkan/config';
import {
  AUDIENCES,
  type CloudEvent,
  createEvent,
  encodeCloudEvent,
  EVENT_EXAMPLES,
  type EventMap,
  type EventType,
  eventSourceFor,
  PRODUCER_SERVICES,
  type ProducerService,
} from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { startService } from '@samverkan/platform';
import { loadStackInfo } from '@samverkan/testing';
import { RouterEnv } from '../src/config/router.env';
import { RouterModule } from '../src/router.module';

// Shared by the router's integration tests. Each test file routes a topic namespace of its own
// (`samverkan.test.<id>.source.*` → `samverkan.test.<id>.audience.*`) into a scratch database, so
// runs never see each other's events. The namespace is outside the topology's ACLs, so the router
// runs as the stack's admin principal here; the topology's own names and principals are exercised
// by the e2e tests.

// The test writers use kafkajs' default partitioner on purpose; its v2 migration notice is noise here.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const ROUTER_TEST_KEY = 'router-integration-test-pseudonym-key-0123456789';

export type Kafka = ReturnType<typeof createKafkaClient>;

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function adminKafka(clientId = uniqueName('router-test')): Kafka {
  const info = loadStackInfo();
  return createKafkaClient({ brokers: info.kafka.brokers, clientId, sasl: info.kafka.admin });
}

/**
 * The router's consumer group in a test namespace. Never `router`: every router on the stack (npm
 * start, e2e runs, other test files) is in that group, and a member subscribed to other topics
 * would be handed this namespace's partitions, or keep the group rebalancing.
 */
export function routerGroupOf(namespace: string): string {
  return `${namespace}.router`;
}

/** Source, audience and DLQ topics of a namespace (`partitions` for the source topics). */
export async function createNamespaceTopics(
  kafka: Kafka,
  namespace: string,
  partitions = 3,
): Promise<string[]> {
  const names = [
    ...PRODUCER_SERVICES.map((s) => ({ topic: `${namespace}.source.${s}`, numPartitions: partitions })),
    ...AUDIENCES.map((a) => ({ topic: `${namespace}.audience.${a}`, numPartitions: 3 })),
    { topic: `${namespace}.dlq.${routerGroupOf(namespace)}`, numPartitions: 1 },
  ];
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: names.map((t) => ({ ...t, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
  return names.map((t) => t.topic);
}

export { deleteTopics } from '@samverkan/testing';

/** Committed offsets of a group over topics, summed over partitions (-1 counts as 0). */
export async function committedOffsets(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const entries = await admin.fetchOffsets({ groupId, topics });
    return entries.flatMap((e) => e.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface Collected {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

/** Reads topics from the beginning (read_committed unless told otherwise) until closed. */
export async function collect(
  kafka: Kafka,
  topics: string[],
  options: { readUncommitted?: boolean } = {},
): Promise<{ messages: Collected[]; on: (topic: string) => Collected[]; close: () => Promise<void> }> {
  const messages: Collected[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('router-collector'),
    readUncommitted: options.readUncommitted ?? false,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
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
  return {
    messages,
    on: (topic) => messages.filter((m) => m.topic === topic),
    close: () => consumer.disconnect(),
  };
}

/** Writes events to a producer's source topic as that producer's outbox relay would. */
export class SourceWriter {
  private readonly producer;

  constructor(
    kafka: Kafka,
    private readonly namespace: string,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async write(producer: ProducerService, ...events: CloudEvent[]): Promise<void> {
    await this.producer.send({
      topic: `${this.namespace}.source.${producer}`,
      acks: -1,
      messages: events.map((e) => encodeCloudEvent(e)),
    });
  }
}

/** A fictitious 12-digit personnummer with a valid Luhn check digit, different per `n`. */
export function fakePersonnummer(n: number): string {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const serial = String(100 + (Math.floor(n / 336) % 900)).padStart(3, '0');
  const nine = `15${month}${day}${serial}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const product = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return `20${nine}${(10 - (sum % 10)) % 10}`;
}

/** An example event of `type` from `producer`, about the child `personnummer`, with `data` overrides. */
export function sourceEvent<T extends EventType>(
  type: T,
  producer: ProducerService,
  personnummer: string,
  data: Partial<EventMap[T]> = {},
): CloudEvent<T, EventMap[T]> {
  const example = structuredClone(EVENT_EXAMPLES[type]) as EventMap[T] & { child?: { personnummer: string } };
  if (example.child) example.child = { ...example.child, personnummer };
  return createEvent(type, {
    source: eventSourceFor(producer),
    subject: `${producer}-subject-${personnummer.slice(-4)}`,
    municipality: '0781',
    data: { ...example, ...data },
  });
}

export interface RouterTestOptions {
  namespace: string;
  databaseUrl: string;
  issuer: TestIssuer;
  instanceId?: string;
  extraEnv?: Record<string, string>;
  port?: number;
}

/** A TCP port nobody listens on right now (the env wants a real port, not 0). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** The router's environment for a namespace, as the admin principal. */
export function routerEnvFor(options: RouterTestOptions): Record<string, string> {
  const info = loadStackInfo();
  return {
    KAFKA_BROKERS: info.kafka.brokers.join(','),
    KAFKA_USERNAME: info.kafka.admin.username,
    KAFKA_PASSWORD: info.kafka.admin.password,
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port ?? 1),
    ROUTER_PSEUDONYM_KEY: ROUTER_TEST_KEY,
    ROUTER_TOPIC_NAMESPACE: options.namespace,
    ROUTER_CONSUMER_GROUP: routerGroupOf(options.namespace),
    ROUTER_INSTANCE_ID: options.instanceId ?? uniqueName('router-test'),
    LOG_LEVEL: 'warn',
    ...options.issuer.env,
    ...options.extraEnv,
  };
}

/** The router app in this process (HTTP on a free port), as main.ts assembles it. */
export async function startRouterApp(options: RouterTestOptions): Promise<INestApplication> {
  const port = options.port ?? (await freePort());
  const env = validateEnv(RouterEnv, routerEnvFor({ ...options, port }));
  const moduleRef = await Test.createTestingModule({
    imports: [RouterModule.forRoot(env, { auth: options.issuer.config })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  await startService(app, { name: 'router', description: 'router under test', port });
  return app;
}

export interface RouterProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The router's real main.ts in a child process, so a SIGKILL hits nothing of the test runner. */
export function spawnRouter(env: Record<string, string>): RouterProcess {
  let output = '';
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      resolve(REPO_ROOT, 'apps/router/src/main.ts'),
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output.slice(-4000), exited };
}
