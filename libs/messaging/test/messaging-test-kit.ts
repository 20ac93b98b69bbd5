import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createEvent, type CloudEvent, type EventMap } from '@samverkan/contracts';
import { createScratchDatabase, dropScratchDatabase, eventually, loadStackInfo } from '@samverkan/testing';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createKafkaClient, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../src';

// Shared by the messaging integration tests and their child-process fixtures. Every test works on
// topics, groups and databases of its own (random suffix), so tests never see each other's data.

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export type FiledEvent = CloudEvent<
  'samverkan.concern-report.filed.v1',
  EventMap['samverkan.concern-report.filed.v1']
>;

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A Kafka client as the stack's admin principal (super user: may create the tests' own topics). */
export function adminKafka(clientId = uniqueName('messaging-test')): Kafka {
  const info = loadStackInfo();
  return createKafkaClient({ brokers: info.kafka.brokers, clientId, sasl: info.kafka.admin });
}

export async function createTopics(
  kafka: Kafka,
  topics: Array<{ name: string; partitions: number }>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
    });
    // Leaders are elected, but a broker may still answer "does not host this topic-partition" for a
    // moment under load: wait until every partition answers a ListOffsets.
    for (const t of topics) {
      await eventually(
        async () => {
          const offsets = await admin.fetchTopicOffsets(t.name);
          if (offsets.length !== t.partitions)
            throw new Error(`${t.name}: ${offsets.length}/${t.partitions} partitions`);
        },
        { describe: `topic ${t.name} ready`, timeoutMs: 30_000 },
      );
    }
  } finally {
    await admin.disconnect();
  }
}

export { deleteTopics } from '@samverkan/testing';

/** Committed offset of a group on a topic, summed over partitions (-1 counts as 0). */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Sum of high watermarks of a topic (= number of records for a non-transactional topic). */
export async function endOffsets(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

function headerText(headers: KafkaMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/** Reads topics from the beginning (read_committed unless told otherwise) into an array until closed. */
export async function collectTopics(
  kafka: Kafka,
  topics: string[],
  options: { readUncommitted?: boolean } = {},
): Promise<{ messages: CollectedMessage[]; close: () => Promise<void> }> {
  const messages: CollectedMessage[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('collector'),
    readUncommitted: options.readUncommitted ?? false,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? '',
        headers: headerText(message.headers),
        value: message.value?.toString('utf8') ?? '',
      });
    },
  });
  return { messages, close: () => consumer.disconnect() };
}

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  drop: () => Promise<void>;
}

/** Effects table of the tests: deliberately without a unique key, so only the inbox prevents duplicates. */
export const EFFECTS_DDL = `CREATE TABLE IF NOT EXISTS effects (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL,
  subject text NOT NULL,
  worker text NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

/** The effect most kit tests record: a row in `effects`, written in the handler's (the inbox's) transaction. */
export async function insertEffect(ctx: {
  event: { id: string; subject?: string };
  manager: { query: (sql: string, params: unknown[]) => Promise<unknown> };
}): Promise<void> {
  await ctx.manager.query('INSERT INTO effects (event_id, subject) VALUES ($1, $2)', [
    ctx.event.id,
    ctx.event.subject,
  ]);
}

export function dataSourceFor(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: MESSAGING_ENTITIES,
    migrations: MESSAGING_MIGRATIONS,
    extra: { max: poolSize },
  });
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const url = await createScratchDatabase(prefix);
  const dataSource = dataSourceFor(url);
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.query(EFFECTS_DDL);
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropScratchDatabase(url);
    },
  };
}

/** A valid concern-report.filed event; the test personnummer is the Tax Agency's fictitious one. */
export function filedEvent(subject: string, sequence: number): FiledEvent {
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject,
    municipality: '0781',
    data: {
      reportId: randomUUID(),
      child: { personnummer: '191212121212', name: 'Tolvan Tolvansson' },
      reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
      reporter: { role: 'teacher', name: 'Test Teacher', contact: { email: 'teacher@school.example' } },
      categories: ['neglect'],
      description: `test event ${sequence}`,
      immediateDanger: false,
      filedAt: new Date(Date.UTC(2026, 10, 23, 9, 0, sequence % 60)).toISOString(),
    },
  });
}

export interface Fixture {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a fixture script under ts-node in its own process (so SIGKILL hits nothing of the test runner). */
export function runFixture(script: string, env: Record<string, string>): Fixture {
  let output = '';
  const child = spawn(process.execPath, ['-r', 'ts-node/register', resolve(__dirname, 'fixtures', script)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { child, output: () => output.slice(-4000), exited };
}
