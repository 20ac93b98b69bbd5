import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEvent, encodeCloudEvent, type CloudEvent, type EventMap } from '@samverkan/contracts';
import { createKafkaClient } from '@samverkan/messaging';
import { eventually, loadStackInfo } from '@samverkan/testing';
import { kafkaJarCache } from '../../../../deploy/local/paths';

// Test-side Kafka through @samverkan/messaging's client factory (only libs/messaging imports kafkajs).
export type Kafka = ReturnType<typeof createKafkaClient>;

export type FiledEvent = CloudEvent<'samverkan.concern-report.filed.v1', EventMap['samverkan.concern-report.filed.v1']>;

export const CHILD_PNR = '201505152387';

export function adminKafka(): Kafka {
  const info = loadStackInfo();
  return createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: `operations-test-${randomUUID().slice(0, 8)}`,
    sasl: info.kafka.admin,
  });
}

export function filedEvent(subject: string): FiledEvent {
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject,
    municipality: '0781',
    legalbasis: 'duty-to-report',
    data: {
      reportId: randomUUID(),
      child: { personnummer: CHILD_PNR, name: 'Testa Testsson' },
      reportingUnit: { schoolUnitCode: '87654321', municipality: '0781' },
      reporter: { role: 'teacher', name: 'Lärare Larsson', contact: { email: 'larare@skola.example' } },
      categories: ['neglect'],
      description: 'Fritext som aldrig får synas maskerat.',
      immediateDanger: false,
      filedAt: new Date().toISOString(),
    },
  });
}

export async function createTopics(kafka: Kafka, topics: Array<{ name: string; partitions: number }>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
    });
    for (const t of topics)
      await eventually(
        async () => {
          const offsets = await admin.fetchTopicOffsets(t.name);
          if (offsets.length !== t.partitions) throw new Error(`${t.name}: ${offsets.length}/${t.partitions}`);
        },
        { describe: `topic ${t.name} ready`, timeoutMs: 30_000 },
      );
  } finally {
    await admin.disconnect();
  }
}

export { deleteTopics } from '@samverkan/testing';

export async function produce(
  kafka: Kafka,
  topic: string,
  messages: Array<{ event?: FiledEvent; raw?: { key: string; value: string; headers: Record<string, string> }; partition?: number }>,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => {
        const encoded = m.event ? encodeCloudEvent(m.event) : m.raw!;
        return { key: encoded.key, value: encoded.value, headers: encoded.headers, partition: m.partition };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

export interface ToolRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number;
  lag: number | null;
}

/**
 * Kafka's own consumer-groups tool (ConsumerGroupCommand from the local stack's jars) as the stack's
 * admin: `--describe --group X`, parsed. "-" (nothing committed) becomes null.
 */
export async function kafkaToolDescribe(groupId: string): Promise<ToolRow[]> {
  const info = loadStackInfo();
  const dir = await mkdtemp(join(tmpdir(), 'ops-cgc-'));
  const props = join(dir, 'admin.properties');
  const mechanism = info.kafka.mechanism.toUpperCase();
  await writeFile(
    props,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${mechanism}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${info.kafka.admin.username}" password="${info.kafka.admin.password}";`,
    ].join('\n'),
  );
  try {
    const { stdout } = await promisify(execFile)(
      'java',
      [
        '-Xmx256m',
        '-cp',
        `${kafkaJarCache()}/*`,
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        info.kafka.brokers.join(','),
        '--command-config',
        props,
        '--describe',
        '--group',
        groupId,
        // The tool's default of 5 s is too short on a loaded machine (JVM start, SCRAM handshake).
        '--timeout',
        '60000',
      ],
      { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
    );
    const rows: ToolRow[] = [];
    const lines = stdout.split('\n').map((l) => l.trim().split(/\s+/));
    const header = lines.find((cols) => cols[0] === 'GROUP');
    if (!header) throw new Error(`no table in ConsumerGroupCommand output:\n${stdout}`);
    const col = (name: string) => header.indexOf(name);
    for (const cols of lines) {
      if (cols[0] !== groupId) continue;
      const num = (v: string) => (v === '-' ? null : Number(v));
      rows.push({
        topic: cols[col('TOPIC')],
        partition: Number(cols[col('PARTITION')]),
        currentOffset: num(cols[col('CURRENT-OFFSET')]),
        logEndOffset: Number(cols[col('LOG-END-OFFSET')]),
        lag: num(cols[col('LAG')]),
      });
    }
    return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
