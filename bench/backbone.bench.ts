/**
 * `npm run bench:backbone`: the messaging backbone against the raw Kafka floor on the same broker.
 *   (a) floor: plain kafkajs producer -> consumer, N events;
 *   (b) backbone: outbox transactions -> relay -> Kafka -> consumer kit (inbox + one effect row), N events;
 *   then a latency phase at a fixed offered rate (commit -> effect, p50/p99).
 * Env: BENCH_EVENTS (default 200000) and the BENCH_* knobs below. Writes bench/results/backbone.json.
 */
import { cpus, loadavg } from 'node:os';
import { createKafkaClient } from '@samverkan/messaging';
import { printTable, writeResult } from './lib/report';
import { round } from './lib/stats';
import { runFloor, type FloorConfig } from './backbone/floor';
import {
  adminConnection,
  createScratchDatabase,
  deleteTopics,
  dropScratchDatabase,
  ensureStack,
  recreateTopics,
} from './backbone/infra';
import { Backbone, type BackboneConfig } from './backbone/pipeline';
import { EventFactory } from './backbone/workload';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const PARTITIONS = 6;
const FLOOR_TOPIC = 'samverkan.bench.backbone-floor';
const BACKBONE_TOPIC = 'samverkan.bench.backbone';
const DLQ_TOPIC = 'samverkan.bench.backbone-dlq';

const log = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};

const loadAverage = (): number[] => loadavg().map((v) => round(v, 2));

async function main(): Promise<void> {
  const events = Math.round(num('BENCH_EVENTS', 200_000));
  const floorConfig: FloorConfig = {
    sendBatchSize: num('BENCH_FLOOR_BATCH', 500),
    sendsInFlight: num('BENCH_FLOOR_IN_FLIGHT', 4),
  };
  const backboneConfig: BackboneConfig = {
    insertBatchSize: num('BENCH_INSERT_BATCH', 500),
    writers: num('BENCH_WRITERS', 2),
    relayBatchSize: num('BENCH_RELAY_BATCH', 500),
    transactionChunkSize: num('BENCH_CHUNK', 20),
    partitionsConsumedConcurrently: num('BENCH_PARTITIONS_CONCURRENTLY', 3),
    poolSize: num('BENCH_POOL', 10),
    handler: process.env.BENCH_HANDLER === 'single' ? 'single' : 'batch',
    offeredRate: num('BENCH_RATE', 500),
    latencySeconds: num('BENCH_LATENCY_SECONDS', 20),
    tickMs: num('BENCH_TICK_MS', 10),
  };
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  log(`N=${events}, ${PARTITIONS} partitions, ${cpus().length} cores, load average ${loadAtStart.join(' ')}`);

  const { info, release } = await ensureStack(log);
  const admin = adminConnection(info);
  const kafka = createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: 'samverkan-bench',
    sasl: info.kafka.admin,
  });
  const factory = new EventFactory();
  log(`event value ${factory.valueBytes} bytes of JSON (samverkan.concern-report.filed.v1)`);

  log('(a) floor: plain kafkajs producer -> consumer');
  await recreateTopics(admin, [{ name: FLOOR_TOPIC, partitions: PARTITIONS }]);
  const floor = await runFloor(kafka, FLOOR_TOPIC, events, factory, floorConfig);
  await deleteTopics(admin, [FLOOR_TOPIC]);
  log(`floor: ${floor.eventsPerSecond} events/s`);

  log('(b) backbone: outbox -> relay -> Kafka -> consumer kit (inbox + effect)');
  await recreateTopics(admin, [
    { name: BACKBONE_TOPIC, partitions: PARTITIONS },
    { name: DLQ_TOPIC, partitions: 1 },
  ]);
  const databaseUrl = await createScratchDatabase('bench_backbone');
  const backbone = new Backbone(
    kafka,
    { brokers: info.kafka.brokers, sasl: info.kafka.admin },
    databaseUrl,
    BACKBONE_TOPIC,
    DLQ_TOPIC,
    backboneConfig,
  );
  let result: object;
  try {
    await backbone.start();
    const throughput = await backbone.throughput(events, factory);
    log(`backbone: ${throughput.eventsPerSecond} events/s`);
    const latency = await backbone.latency(factory);
    log(`latency: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`);
    await backbone.verify(events + latency.events);
    const ratio = round(throughput.eventsPerSecond / floor.eventsPerSecond, 3);
    result = {
      startedAt,
      finishedAt: new Date().toISOString(),
      events,
      partitions: PARTITIONS,
      valueBytes: factory.valueBytes,
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model,
        loadAverageStart: loadAtStart,
        loadAverageEnd: loadAverage(),
        node: process.version,
      },
      floor,
      backbone: {
        eventsPerSecond: throughput.eventsPerSecond,
        seconds: throughput.seconds,
        insertSeconds: throughput.insertSeconds,
        relaySeconds: throughput.relaySeconds,
        p50Ms: latency.p50Ms,
        p90Ms: latency.p90Ms,
        p99Ms: latency.p99Ms,
        maxMs: latency.maxMs,
        commitToRelayP50Ms: latency.commitToRelayP50Ms,
        commitToRelayP99Ms: latency.commitToRelayP99Ms,
        latencyEvents: latency.events,
        latencyAchievedRate: latency.achievedRate,
        latencyMeasuredAs:
          "effect row's clock_timestamp() minus Date.now() just before the outbox COMMIT (same host clock)",
      },
      ratio,
      targets: { ratio: 0.5, p99Ms: 100, met: ratio >= 0.5 && latency.p99Ms <= 100 },
      config: { floor: floorConfig, backbone: backboneConfig, dataValidation: true },
    };
    const path = writeResult('backbone', result);
    printTable(`Backbone benchmark (N=${events.toLocaleString('en-US')}, ${cpus().length} cores)`, [
      ['floor events/s', floor.eventsPerSecond],
      ['backbone events/s', throughput.eventsPerSecond],
      ['ratio (target >= 0.5)', ratio],
      ['p50 commit -> effect (ms)', latency.p50Ms],
      ['p99 commit -> effect (ms, target <= 100)', latency.p99Ms],
      ['load average start', loadAtStart.join(' ')],
      ['load average end', loadAverage().join(' ')],
      ['result', path],
    ]);
  } finally {
    await backbone.stop();
    await dropScratchDatabase(databaseUrl).catch(() => undefined);
    await deleteTopics(admin, [BACKBONE_TOPIC, DLQ_TOPIC]);
    await release();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
