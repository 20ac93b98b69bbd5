/**
 * Records consumer-group histories for the Burrow rule tests from real scenarios on the running
 * stack (`npm run stack`): real producers and consumers on throw-away topics, sampled with the
 * console's own inspector and sample mapping (ConsumerGroupInspector + sampleOf), judged as the
 * console judges them. Each history is written to src/status/fixtures/recorded/<scenario>.json.
 *
 *   npx ts-node apps/operations/scripts/record-burrow-history.ts [--only stalled,...] [--interval 2]
 *
 * The scenarios (two partitions each, run side by side):
 *   ok        a consumer keeps up with a steady producer;
 *   warning   a consumer that commits every message but is slower than the producer;
 *   stalled   a member that stays in the group (heartbeats, keeps its partitions) but stops consuming;
 *   stopped   the only member leaves while the producer goes on (no members, growing lag);
 *   rewound   the group's offsets are reset to the earliest while it is empty, then it consumes again.
 *
 * Groups are `operations.burrow-recorder.*`, which the console ignores (OPERATIONS_IGNORE_GROUPS), and
 * topics and groups are deleted afterwards. Messages carry a sequence number only; the fixtures hold
 * offsets, lags, member ids and times, nothing personal. A scenario whose recording does not end in
 * its status is not written (the script exits 1): Kafka did something the scenario did not intend.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConsumerGroupInspector, createKafkaClient, type KafkaAdminConnection } from '@samverkan/messaging';
import { loadStackInfo } from '@samverkan/testing';
import {
  observationsOf,
  partitionKey,
  sampleOf,
  type GroupSample,
} from '../src/consumer-groups/group-sample';
import { evaluateGroup, type Status } from '../src/status/burrow';

type Kafka = ReturnType<typeof createKafkaClient>;
type Consumer = ReturnType<Kafka['consumer']>;

const PARTITIONS = 2;
/** The console's default window (OPERATIONS_STATUS_WINDOW). */
const WINDOW = 10;
const OUT_DIR = join(__dirname, '..', 'src', 'status', 'fixtures', 'recorded');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`[burrow-recorder] ${line}\n`);

export interface RecordedFixture {
  description: string;
  recorded: { by: string; at: string; intervalSeconds: number; partitions: number };
  windowSize: number;
  expected: { group: Status; partitions: Status[] };
  samples: GroupSample[];
}

interface Run {
  kafka: Kafka;
  topic: string;
  groupId: string;
  /** One sampling round, as the console's sampler does it. */
  sample(): Promise<GroupSample>;
  /** `n` sampling rounds, one per interval. */
  samples(n: number): Promise<void>;
  /** A consumer in the group; `perMessageMs` > 0 makes it slow and commit message by message. */
  consumer(options?: { perMessageMs?: number }): Promise<Consumer>;
}

interface Scenario {
  name: string;
  status: Status;
  description: string;
  /** Messages per second per partition while the scenario runs. */
  rate: number;
  play(run: Run): Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'ok-keeping-up',
    status: 'ok',
    description:
      'A consumer keeps up with a steady producer (3 messages/s per partition): lag falls to zero between bursts',
    rate: 3,
    async play(run) {
      await run.consumer();
      await sleep(3_000);
      await run.samples(WINDOW + 2);
    },
  },
  {
    name: 'warning-falling-behind',
    status: 'warning',
    description:
      'A consumer that commits every message but handles 4/s per partition while the producer writes 6/s: offsets move, lag only grows',
    rate: 6,
    async play(run) {
      await run.consumer({ perMessageMs: 250 });
      await sleep(3_000);
      await run.samples(WINDOW + 2);
    },
  },
  {
    name: 'stalled-member-stops-committing',
    status: 'stalled',
    description:
      'A member consumes, then stops (paused: it stays in the group, heartbeats and keeps its partitions) while the producer goes on',
    rate: 3,
    async play(run) {
      const consumer = await run.consumer();
      await sleep(3_000);
      await run.samples(3);
      consumer.pause([{ topic: run.topic }]);
      await run.samples(WINDOW + 3);
    },
  },
  {
    name: 'stopped-member-left',
    status: 'stopped',
    description:
      'The only member consumes, then leaves the group while the producer goes on: no members, lag grows',
    rate: 3,
    async play(run) {
      const consumer = await run.consumer();
      await sleep(3_000);
      await run.samples(3);
      await consumer.disconnect();
      await run.samples(WINDOW + 3);
    },
  },
  {
    name: 'rewound-offsets-reset',
    status: 'rewound',
    description:
      "The group's member leaves, its committed offsets are set back by 15 messages per partition (admin setOffsets, as kafka-consumer-groups --reset-offsets --shift-by -15 does), and a new member consumes them again",
    rate: 3,
    async play(run) {
      const first = await run.consumer();
      await sleep(3_000);
      await run.samples(4);
      await first.disconnect();
      await run.samples(1);
      const admin = run.kafka.admin();
      await admin.connect();
      try {
        // Explicit offsets: kafkajs' resetOffsets commits the -2 "earliest" sentinel, which Kafka
        // reports as no committed offset at all, not as an offset that went back.
        const committed = await admin.fetchOffsets({ groupId: run.groupId, topics: [run.topic] });
        await admin.setOffsets({
          groupId: run.groupId,
          topic: run.topic,
          partitions: committed[0].partitions.map((p) => ({
            partition: p.partition,
            offset: String(Math.max(0, Number(p.offset) - 15)),
          })),
        });
      } finally {
        await admin.disconnect();
      }
      await run.samples(1);
      await run.consumer();
      await run.samples(4);
    },
  },
];

interface Recorded {
  fixture: RecordedFixture;
  ok: boolean;
  observed: { group: Status; partitions: Status[] };
}

const namesOf = (scenario: Scenario, runId: string) => ({
  topic: `operations.burrow-recorder.${scenario.name}.${runId}`,
  groupId: `operations.burrow-recorder.${scenario.name}.${runId}`,
});

async function record(
  scenario: Scenario,
  kafka: Kafka,
  connection: KafkaAdminConnection,
  intervalMs: number,
  runId: string,
): Promise<Recorded> {
  const { topic, groupId } = namesOf(scenario, runId);
  // One inspector per scenario: kafkajs' admin keeps refreshing metadata of every topic it has seen.
  const inspector = new ConsumerGroupInspector(connection);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  const consumers: Consumer[] = [];
  const history: GroupSample[] = [];
  let producing = true;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let seq = 0;
  // Bursts once a second, so a consumer that keeps up shows zero lag between them.
  const production = (async () => {
    while (producing) {
      const started = Date.now();
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: PARTITIONS * scenario.rate }, (_, i) => ({
          partition: i % PARTITIONS,
          value: JSON.stringify({ seq: seq++ }),
        })),
      });
      await sleep(Math.max(0, 1_000 - (Date.now() - started)));
    }
  })();
  const run: Run = {
    kafka,
    topic,
    groupId,
    async sample() {
      const sample = sampleOf(
        await inspector.describeConsumerGroupLag(groupId, { topics: [topic], now: new Date() }),
      );
      history.push(sample);
      sample.status = evaluateGroup(observationsOf(history), { windowSize: WINDOW }).status;
      return sample;
    },
    async samples(n) {
      for (let i = 0; i < n; i++) {
        const started = Date.now();
        const s = await run.sample();
        say(
          `${scenario.name}: #${history.length} ${s.state} members=${s.members} lag=${s.partitions.map((p) => p.lag).join('/')} → ${s.status}`,
        );
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
      }
    },
    async consumer(options = {}) {
      const perMessageMs = options.perMessageMs ?? 0;
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        // Small fetches so a slow consumer commits steadily instead of chewing one big batch.
        maxBytesPerPartition: perMessageMs > 0 ? 256 : 1_048_576,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      consumers.push(consumer);
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
      await consumer.run({
        partitionsConsumedConcurrently: PARTITIONS,
        autoCommit: perMessageMs === 0,
        eachMessage: async ({ partition, message }) => {
          if (perMessageMs === 0) return;
          await sleep(perMessageMs);
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        },
      });
      const deadline = Date.now() + 30_000;
      while (!joined && Date.now() < deadline) await sleep(100);
      if (!joined) throw new Error(`${scenario.name}: the consumer did not join ${groupId} within 30 s`);
      return consumer;
    },
  };
  try {
    await scenario.play(run);
  } finally {
    producing = false;
    await production.catch(() => undefined);
    await producer.disconnect();
    for (const c of consumers) await c.disconnect().catch(() => undefined);
    await inspector.disconnect();
    await admin.disconnect();
  }
  const evaluation = evaluateGroup(observationsOf(history), { windowSize: WINDOW });
  const partitions = Array.from(
    { length: PARTITIONS },
    (_, p) => evaluation.partitions.get(partitionKey(topic, p)) ?? 'ok',
  );
  const fixture: RecordedFixture = {
    description: scenario.description,
    recorded: {
      by: 'apps/operations/scripts/record-burrow-history.ts',
      at: new Date().toISOString(),
      intervalSeconds: intervalMs / 1000,
      partitions: PARTITIONS,
    },
    windowSize: WINDOW,
    expected: {
      group: scenario.status,
      partitions: Array.from({ length: PARTITIONS }, () => scenario.status),
    },
    samples: history,
  };
  const ok = evaluation.status === scenario.status && partitions.every((s) => s === scenario.status);
  return { fixture, ok, observed: { group: evaluation.status, partitions } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, interval: { type: 'string', default: '2' } },
  });
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const intervalMs = Number(values.interval) * 1000;
  if (!Number.isFinite(intervalMs) || intervalMs < 500)
    throw new Error('--interval must be a number of seconds >= 0.5');
  const info = loadStackInfo();
  const kafka = createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: 'burrow-recorder',
    sasl: info.kafka.admin,
  });
  const connection: KafkaAdminConnection = { brokers: info.kafka.brokers, ...info.kafka.admin };
  const runId = randomUUID().slice(0, 6);
  const chosen = SCENARIOS.filter((s) => !only || only.has(s.name) || only.has(s.status));
  mkdirSync(OUT_DIR, { recursive: true });
  let failed = 0;
  try {
    const results = await Promise.all(
      chosen.map((s) => record(s, kafka, connection, intervalMs, runId).then((r) => ({ s, ...r }))),
    );
    for (const { s, fixture, ok, observed } of results) {
      if (!ok) {
        failed += 1;
        say(
          `${s.name}: intended ${s.status}, recorded ${observed.group} (${observed.partitions.join('/')}); NOT written`,
        );
        continue;
      }
      writeFileSync(join(OUT_DIR, `${s.name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
      say(`${s.name}: ${fixture.samples.length} samples → ${s.status}; written`);
    }
  } finally {
    // Only once every scenario is done (see the inspector above).
    const admin = kafka.admin();
    await admin.connect();
    const names = chosen.map((s) => namesOf(s, runId));
    await admin.deleteGroups(names.map((n) => n.groupId)).catch(() => undefined);
    await admin.deleteTopics({ topics: names.map((n) => n.topic) }).catch(() => undefined);
    await admin.disconnect();
  }
  if (failed > 0) process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[burrow-recorder] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
