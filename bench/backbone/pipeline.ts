import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, OutboxRelay, OutboxService } from '@samverkan/messaging';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { percentile, round } from '../lib/stats';
import { Progress } from '../lib/report';
import type { ConsumerProcessSettings } from './consumer.process';
import type { EventFactory } from './workload';

export interface BackboneConfig {
  /** Events per outbox transaction in the throughput phase. */
  insertBatchSize: number;
  /** Concurrent writer transactions in the throughput phase. */
  writers: number;
  relayBatchSize: number;
  transactionChunkSize: number;
  partitionsConsumedConcurrently: number;
  poolSize: number;
  /** The consumer's handler: `batch` (the kit's batch handler, one INSERT per run) or `single`. */
  handler: 'batch' | 'single';
  /** Latency phase. */
  offeredRate: number;
  latencySeconds: number;
  tickMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The effect of one event: one row, stamped when the handler writes it. */
const EFFECT_TABLE = 'bench_effect';

export class Backbone {
  private readonly dataSource: DataSource;
  private readonly outbox: OutboxService;
  private relay?: OutboxRelay;
  private consumer?: ChildProcess;

  constructor(
    private readonly kafka: Kafka,
    private readonly credentials: { brokers: string[]; sasl: { username: string; password: string } },
    private readonly databaseUrl: string,
    private readonly topic: string,
    private readonly dlqTopic: string,
    private readonly config: BackboneConfig,
  ) {
    this.dataSource = new DataSource({
      type: 'postgres',
      url: this.databaseUrl,
      entities: MESSAGING_ENTITIES,
      migrations: MESSAGING_MIGRATIONS,
      extra: { max: config.poolSize },
      logging: false,
    });
    this.outbox = new OutboxService({ defaultTopic: topic });
  }

  async start(): Promise<void> {
    await this.dataSource.initialize();
    await this.dataSource.runMigrations();
    await this.dataSource.query(
      `CREATE TABLE ${EFFECT_TABLE} (
         event_id uuid PRIMARY KEY,
         subject text NOT NULL,
         effected_at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`,
    );
    this.relay = new OutboxRelay({
      kafka: this.kafka,
      dataSource: this.dataSource,
      batchSize: this.config.relayBatchSize,
    });
    await this.relay.start();
    const settings: ConsumerProcessSettings = {
      databaseUrl: this.databaseUrl,
      ...this.credentials,
      topic: this.topic,
      dlqTopic: this.dlqTopic,
      groupId: `bench-backbone-${Date.now()}`,
      effectTable: EFFECT_TABLE,
      transactionChunkSize: this.config.transactionChunkSize,
      handler: this.config.handler,
      partitionsConsumedConcurrently: this.config.partitionsConsumedConcurrently,
      poolSize: this.config.poolSize,
    };
    const child = fork(join(__dirname, 'consumer.process.ts'), [], {
      execArgv: [
        '-r',
        'ts-node/register',
        '-r',
        'tsconfig-paths/register',
        // BENCH_CONSUMER_PROFILE=<dir>: a CPU profile of the consuming service, to see where its time goes.
        ...(process.env.BENCH_CONSUMER_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CONSUMER_PROFILE}`]
          : []),
      ],
      env: { ...process.env, BENCH_CONSUMER: JSON.stringify(settings) },
    });
    this.consumer = child;
    await new Promise<void>((resolve, reject) => {
      child.once('message', (message) =>
        message === 'ready' ? resolve() : reject(new Error('unexpected message from the consumer process')),
      );
      child.once('exit', (code) => reject(new Error(`consumer process exited with ${code}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.consumer;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await Promise.race([exited, sleep(30_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await this.relay?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async effects(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM ${EFFECT_TABLE}`);
    return (row as { n: number }).n;
  }

  /** Commits `events` in one outbox transaction; returns Date.now() taken just before COMMIT. */
  private async commitBatch(factory: EventFactory, events: number, ids?: string[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const batch = Array.from({ length: events }, () => factory.next());
      await this.outbox.addMany(runner.manager, batch);
      ids?.push(...batch.map((e) => e.id));
      const beforeCommit = Date.now();
      await runner.commitTransaction();
      return beforeCommit;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Phase 1: N events as fast as the writers go; from the first insert to the N-th effect committed. */
  async throughput(
    events: number,
    factory: EventFactory,
  ): Promise<{ eventsPerSecond: number; seconds: number; insertSeconds: number; relaySeconds: number }> {
    const base = await this.effects();
    const relayBase = this.relay?.published ?? 0;
    let relayDone = 0;
    const started = Date.now();
    let claimed = 0;
    let inserted = 0;
    let insertsDone = 0;
    const insertProgress = new Progress('backbone outbox inserts', events);
    const writer = async (): Promise<void> => {
      while (claimed < events) {
        const n = Math.min(this.config.insertBatchSize, events - claimed);
        claimed += n;
        await this.commitBatch(factory, n);
        inserted += n;
        insertProgress.update(inserted);
      }
    };
    const writers = Promise.all(Array.from({ length: this.config.writers }, writer)).then(() => {
      insertsDone = Date.now();
      insertProgress.done();
    });
    const effectProgress = new Progress('backbone effects committed', events);
    let done = 0;
    while (done < events) {
      await sleep(100);
      done = (await this.effects()) - base;
      // Where the time goes: when the relay had published everything vs when the effects caught up.
      if (!relayDone && (this.relay?.published ?? 0) - relayBase >= events) relayDone = Date.now();
      effectProgress.update(done);
    }
    const finished = Date.now();
    effectProgress.done();
    await writers;
    const seconds = (finished - started) / 1000;
    return {
      eventsPerSecond: Math.round(events / seconds),
      seconds,
      insertSeconds: (insertsDone - started) / 1000,
      relaySeconds: ((relayDone || finished) - started) / 1000,
    };
  }

  /**
   * Phase 2: a fixed offered rate; every tick commits the events due by then in one transaction. Latency
   * of an event = its effect row's clock_timestamp() - Date.now() just before its outbox COMMIT.
   */
  async latency(factory: EventFactory): Promise<{
    events: number;
    p50Ms: number;
    p90Ms: number;
    p99Ms: number;
    maxMs: number;
    commitToRelayP50Ms: number;
    commitToRelayP99Ms: number;
    achievedRate: number;
  }> {
    const total = Math.round(this.config.offeredRate * this.config.latencySeconds);
    const commitAt = new Map<string, number>();
    const progress = new Progress('latency phase (offered 500/s)', total);
    const started = Date.now();
    let offered = 0;
    const inFlight: Array<Promise<void>> = [];
    while (offered < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * this.config.offeredRate));
      const n = due - offered;
      if (n > 0) {
        offered += n;
        const ids: string[] = [];
        inFlight.push(
          this.commitBatch(factory, n, ids).then((at) => {
            for (const id of ids) commitAt.set(id, at);
            progress.update(commitAt.size);
          }),
        );
      }
      await sleep(this.config.tickMs);
    }
    await Promise.all(inFlight);
    const offeredSeconds = (Date.now() - started) / 1000;
    progress.done();
    const ids = [...commitAt.keys()];
    const deadline = Date.now() + 120_000;
    let rows: Array<{ id: string; at: string }> = [];
    for (;;) {
      rows = await this.dataSource.query(
        `SELECT event_id::text AS id, (extract(epoch FROM effected_at) * 1000)::float8 AS at
           FROM ${EFFECT_TABLE} WHERE event_id = ANY($1::uuid[])`,
        [ids],
      );
      if (rows.length >= ids.length) break;
      if (Date.now() > deadline)
        throw new Error(`latency phase: only ${rows.length}/${ids.length} effects after 120 s`);
      await sleep(200);
    }
    const samples = rows.map((r) => Number(r.at) - commitAt.get(r.id)!);
    // Split: commit -> the relay's batch transaction began (published_at = now() of that transaction).
    const relayed: Array<{ id: string; at: string }> = await this.dataSource.query(
      `SELECT event_id::text AS id, (extract(epoch FROM published_at) * 1000)::float8 AS at
         FROM messaging_outbox WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    const toRelay = relayed.map((r) => Number(r.at) - commitAt.get(r.id)!);
    return {
      events: samples.length,
      p50Ms: round(percentile(samples, 50)),
      p90Ms: round(percentile(samples, 90)),
      p99Ms: round(percentile(samples, 99)),
      maxMs: round(Math.max(...samples)),
      commitToRelayP50Ms: round(percentile(toRelay, 50)),
      commitToRelayP99Ms: round(percentile(toRelay, 99)),
      achievedRate: Math.round(total / offeredSeconds),
    };
  }

  /** Exactly-once check: one effect per event, never two. */
  async verify(expected: number): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM ${EFFECT_TABLE}`,
    );
    const { n, d } = row as { n: number; d: number };
    if (n !== expected || d !== expected)
      throw new Error(`expected ${expected} effects, found ${n} (${d} distinct)`);
  }
}
