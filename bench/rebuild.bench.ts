/**
 * `npm run bench:rebuild`: reporting's projection rebuild against the raw kafkajs consume floor.
 *
 * - BENCH_EVENTS (default 1,000,000) reporting-shaped events (what the router delivers to
 *   samverkan.audience.reporting: pseudonymous subject, no personal data) are produced once into a
 *   dedicated topic `samverkan.bench.reporting-rebuild.<N>` (reused when it already holds N events;
 *   the shared audience topic that tests read is never touched);
 * - floor: a plain kafkajs consumer reads the topic from the beginning to its end offsets, with the
 *   same fetch settings as the rebuild, doing nothing per message;
 * - rebuild: rebuildProjections() (apps/reporting) into a scratch database, the same topic, in the
 *   same run (same machine load); its rate counts the replay until every row is written;
 * - ratio = rebuild.eventsPerSecond ÷ floor.eventsPerSecond. Writes bench/results/rebuild.json.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { encodeCloudEvent, eventSourceFor, type CloudEvent } from '@samverkan/contracts';
import { createKafkaClient, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase, loadStackInfo } from '@samverkan/testing';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { REPORTING_MIGRATIONS } from '../apps/reporting/src/migrations';
import { REPORTING_ENTITIES } from '../apps/reporting/src/reporting.entities';
import { rebuildProjections } from '../apps/reporting/src/rebuild/rebuild.service';
import { printTable, Progress, writeResult } from './lib/report';
import { round } from './lib/stats';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
if (!Number.isInteger(EVENTS) || EVENTS <= 0) throw new Error('BENCH_EVENTS must be a positive integer');
const PARTITIONS = 6;
const TOPIC = `samverkan.bench.reporting-rebuild.${EVENTS}`;
const log = (line: string): void => void process.stdout.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const info = loadStackInfo();
  const kafka = createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: 'bench-rebuild',
    sasl: info.kafka.admin,
  });
  await ensureTopic(kafka);

  log(`floor: raw kafkajs consume of ${TOPIC}`);
  const floor = await consumeFloor(kafka);
  log(`floor: ${floor.events} events in ${floor.ms} ms`);

  const url = await createScratchDatabase('reporting_bench');
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: [...REPORTING_ENTITIES, ...MESSAGING_ENTITIES],
    migrations: [...REPORTING_MIGRATIONS, ...MESSAGING_MIGRATIONS],
    migrationsRun: true,
    logging: ['error'],
    extra: { max: 12, application_name: 'bench-rebuild' },
  });
  await dataSource.initialize();
  try {
    const progress = new Progress('rebuild', EVENTS);
    const summary = await rebuildProjections({
      kafka,
      dataSource,
      topic: TOPIC,
      groupId: `reporting.rebuild.bench-${Date.now()}`,
      onProgress: (p) => progress.update(p.done),
    });
    progress.done();
    const counts: Array<{ t: string; n: number }> = await dataSource.query(
      `SELECT 'concern_reports' AS t, count(*)::int AS n FROM concern_reports
       UNION ALL SELECT 'interventions', count(*)::int FROM interventions
       UNION ALL SELECT 'course_enrolments', count(*)::int FROM course_enrolments
       UNION ALL SELECT 'child_timeline', count(*)::int FROM child_timeline`,
    );
    const rebuildRate = summary.events / (summary.replayMs / 1000);
    const totalMs = summary.replayMs + summary.indexMs + summary.switchOverMs;
    const floorRate = floor.events / (floor.ms / 1000);
    const ratio = rebuildRate / floorRate;
    const result = {
      events: summary.events,
      topic: TOPIC,
      partitions: PARTITIONS,
      floor: { eventsPerSecond: round(floorRate, 0), ms: floor.ms },
      rebuild: {
        eventsPerSecond: round(rebuildRate, 0),
        replayMs: summary.replayMs,
        indexMs: summary.indexMs,
        switchOverMs: summary.switchOverMs,
        endToEndEventsPerSecond: round(summary.events / (totalMs / 1000), 0),
        projected: summary.projected,
        skipped: summary.skipped,
        rows: Object.fromEntries(counts.map((c) => [c.t, c.n])),
      },
      ratio: round(ratio, 3),
      target: 0.5,
      whereTheTimeGoes: {
        note:
          'during replayMs: the Node thread runs kafkajs (fetch, decode: about the floor) and decode+project; ' +
          'the writers write behind it (each one transaction at a time; writeMs summed over them) and overlap both; ' +
          'heldBack = replay waiting for the writers',
        decodeAndProjectMs: Math.round(summary.timings.decodeAndProjectMs),
        writeMs: Math.round(summary.timings.writeMs),
        writes: summary.timings.writes,
        writers: summary.timings.writers,
        heldBackMs: Math.round(summary.timings.heldBackMs),
        floorMs: floor.ms,
      },
      machine: { cpus: cpus().length, loadavg: loadavg().map((l) => round(l, 2)) },
      at: new Date().toISOString(),
    };
    const path = writeResult('rebuild', result);
    printTable(`rebuild vs floor (${summary.events.toLocaleString('en-US')} events)`, [
      ['floor (raw kafkajs) events/s', result.floor.eventsPerSecond],
      ['rebuild events/s (replay)', result.rebuild.eventsPerSecond],
      ['ratio (target ≥ 0.5)', result.ratio],
      ['rebuild end-to-end events/s', result.rebuild.endToEndEventsPerSecond],
      ['replay ms', summary.replayMs],
      ['secondary indexes ms', summary.indexMs],
      ['switch-over ms', summary.switchOverMs],
      ['decode+project ms', result.whereTheTimeGoes.decodeAndProjectMs],
      ['DB write ms (behind the replay)', result.whereTheTimeGoes.writeMs],
      [
        'DB writes (transactions, writers)',
        `${result.whereTheTimeGoes.writes} on ${result.whereTheTimeGoes.writers}`,
      ],
      ['replay held back for the writer ms', result.whereTheTimeGoes.heldBackMs],
      ['load average (1 min)', result.machine.loadavg[0]],
    ]);
    log(`wrote ${path}`);
  } finally {
    await dataSource.destroy();
    await dropScratchDatabase(url);
  }
}

/** Creates and fills the bench topic unless it already holds EVENTS messages. */
async function ensureTopic(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (topics.includes(TOPIC)) {
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      const held = offsets.reduce((a, o) => a + Number(o.high) - Number(o.low), 0);
      if (held === EVENTS) {
        log(`reusing ${TOPIC} (${held} events)`);
        return;
      }
      await admin.deleteTopics({ topics: [TOPIC] });
      await new Promise((r) => setTimeout(r, 2000));
    }
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const progress = new Progress('producing', EVENTS);
  const workload = workloadEvents();
  let produced = 0;
  try {
    while (produced < EVENTS) {
      const inFlight: Promise<unknown>[] = [];
      for (let b = 0; b < 8 && produced < EVENTS; b++) {
        const messages = [];
        for (let i = 0; i < 2000 && produced < EVENTS; i++, produced++) {
          const encoded = encodeCloudEvent(workload.next().value);
          messages.push({ key: encoded.key, headers: encoded.headers, value: encoded.value });
        }
        inFlight.push(producer.send({ topic: TOPIC, acks: 1, messages }));
      }
      await Promise.all(inFlight);
      progress.update(produced);
    }
    progress.done();
  } finally {
    await producer.disconnect();
  }
}

/** Reporting copies as the router delivers them: personal data removed, pseudonymous subject. */
function* workloadEvents(): Generator<CloudEvent, never> {
  const source = eventSourceFor('education');
  const month = (i: number) => String(1 + (i % 12)).padStart(2, '0');
  const unit = (district: number) => ({
    agency: 'social-services',
    unitCode: 'ifo-1',
    municipality: '0781',
    district: `d${district}`,
  });
  for (let i = 0; ; i++) {
    const subject = `${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
    const year = 2020 + (i % 5);
    const received = `${year}-${month(i)}-${String(1 + (i % 27)).padStart(2, '0')}T09:00:00+01:00`;
    const decided = new Date(Date.parse(received) + (3 + (i % 20)) * 86_400_000).toISOString();
    const ev = (type: string, data: object): CloudEvent => ({
      specversion: '1.0',
      id: randomUUID(),
      source,
      type,
      time: received,
      subject,
      datacontenttype: 'application/json',
      dataschema: `urn:samverkan:schema:${type}`,
      municipality: '0781',
      legalbasis: 'statistics-pseudonymized',
      data,
    });
    const reportId = randomUUID();
    yield ev('samverkan.concern-report.filed.v1', {
      reportId,
      child: {},
      reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
      reporter: { role: ['teacher', 'principal', 'school-nurse'][i % 3], contact: {} },
      categories: i % 4 === 0 ? ['neglect', 'school-absence'] : ['neglect'],
      immediateDanger: false,
      filedAt: received,
    });
    yield ev('samverkan.concern-report.protection-assessed.v1', {
      reportId,
      child: {},
      outcome: 'no-immediate-protection-needed',
      receivedAt: received,
      assessedAt: received,
      assessingUnit: unit(i % 7),
    });
    yield ev('samverkan.concern-report.decided.v1', {
      reportId,
      child: {},
      outcome: 'investigation-not-opened',
      receivedAt: received,
      decidedAt: decided,
      decidingUnit: unit(i % 7),
      reporterUnit: { agency: 'education', unitCode: '12345678', municipality: '0781' },
    });
    const interventionId = randomUUID();
    const intervention = {
      interventionId,
      child: {},
      catalogCode: i % 2 === 0 ? 'mobila-teamet' : 'komet',
      basis: 'service-without-needs-assessment',
      organisationUnit: unit(i % 7),
      startedAt: received,
    };
    yield ev('samverkan.intervention.started.v1', { ...intervention, schoolYear: i % 10 });
    yield ev('samverkan.intervention.ended.v1', { ...intervention, endedAt: decided, reason: 'completed' });
    const courseId = `00000000-0000-4000-8000-${String(i % 5000).padStart(12, '0')}`;
    const enrollmentId = randomUUID();
    const participant = { role: 'parent' };
    yield ev('samverkan.course.participant-enrolled.v1', {
      courseId,
      enrollmentId,
      catalogCode: 'abc',
      participant,
      child: {},
      channel: 'self-registration',
      fromWaitlist: false,
      late: false,
      enrolledAt: received,
    });
    yield ev('samverkan.course.participant-completed.v1', {
      courseId,
      enrollmentId,
      catalogCode: 'abc',
      participant,
      child: {},
      sessionsAttended: 4,
      sessionsPlanned: 4,
      completedAt: decided,
    });
    if (i % 50 === 0) {
      yield ev('samverkan.course.scheduled.v1', {
        courseId,
        catalogCode: 'abc',
        organisingUnit: { ...unit(i % 7), agency: 'leisure' },
        capacity: 12,
        sessions: [{ number: 1, date: received.slice(0, 10), minutes: 150 }],
        language: 'sv',
        targetAges: { min: 3, max: 12 },
        scheduledAt: received,
      });
    }
  }
}

/** The floor: a plain kafkajs consumer, same fetch settings as the rebuild's replay, no work. */
async function consumeFloor(kafka: Kafka): Promise<{ events: number; ms: number }> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  await admin.disconnect();
  const target = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  const position = new Map<number, bigint>();
  const consumer = kafka.consumer({
    groupId: `bench-rebuild-floor-${Date.now()}`,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    maxWaitTimeInMs: 500,
  });
  let events = 0;
  const progress = new Progress('floor', EVENTS);
  const started = Date.now();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const reached = () => [...target].every(([p, high]) => high === 0n || (position.get(p) ?? 0n) >= high);
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    const { partition, lastOffset } = e.payload as { partition: number; lastOffset: string };
    position.set(partition, BigInt(lastOffset) + 1n);
    if (reached()) finish();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 16,
    eachBatch: async ({ batch }) => {
      events += batch.messages.length;
      progress.update(events);
    },
  });
  await done;
  const ms = Date.now() - started;
  progress.done();
  await consumer.disconnect();
  return { events, ms };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
