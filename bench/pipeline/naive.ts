import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { StackInfo } from '@samverkan/testing';
import { freePort, onCleanup, spawnTs, type Proc, waitForOutput, waitHealthy } from './processes';
import type { PipelineUnderTest } from './run';
import { adminKafka, scratchDatabase } from './stack';
import { syntheticReport } from './synthetic';

const ENTRY = 'bench/pipeline/naive/main.ts';

/**
 * The naive baseline (bench/pipeline/naive): an API process (save, then ClientKafka.emit) and a
 * consumer process (@EventPattern, plain insert), on a topic and group of this run, as the stack's
 * admin principal (the topology has no principal for it), with a scratch database.
 */
export class NaiveBaseline {
  private env: Record<string, string> = {};
  private url = '';
  private db?: Client;
  api?: Proc;
  consumer?: Proc;
  private readonly schoolUnit = String(10_000_000 + Math.floor(Math.random() * 89_999_999));

  constructor(
    private readonly info: StackInfo,
    private readonly partitions: number,
  ) {}

  async start(log: (line: string) => void): Promise<void> {
    const run = randomUUID().slice(0, 8);
    const topic = `bench.naive.concern-reports.${run}`;
    const admin = adminKafka(this.info, 'bench-naive-setup').admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: this.partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    onCleanup(async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    });
    const databaseUrl = await scratchDatabase('bench_naive');
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.env = {
      KAFKA_BROKERS: this.info.kafka.brokers.join(','),
      KAFKA_USERNAME: this.info.kafka.admin.username,
      KAFKA_PASSWORD: this.info.kafka.admin.password,
      DATABASE_URL: databaseUrl,
      NAIVE_TOPIC: topic,
      NAIVE_GROUP: `bench-naive-${run}`,
      PORT: String(port),
    };
    log('starting the naive baseline (api, then consumer)...');
    this.api = spawnTs('naive-api', ENTRY, { ...this.env, NAIVE_ROLE: 'api' });
    await waitHealthy(this.api, `${this.url}/health`);
    this.db = new Client({ connectionString: databaseUrl });
    await this.db.connect();
    onCleanup(() => this.db!.end());
    await this.startConsumer();
  }

  async startConsumer(): Promise<void> {
    this.consumer = spawnTs('naive-consumer', ENTRY, { ...this.env, NAIVE_ROLE: 'consumer' });
    await waitForOutput(this.consumer, 'naive consumer ready');
  }

  async crashAndRestartConsumer(): Promise<void> {
    await this.consumer!.crash();
    await this.startConsumer();
  }

  pipeline(): PipelineUnderTest {
    return {
      name: 'naive',
      postUrl: `${this.url}/concern-reports`,
      body: () => syntheticReport(this.schoolUnit),
      deliveredCount: async (ids) => {
        const r = await this.db!.query<{ n: string }>(
          'SELECT count(DISTINCT report_id) AS n FROM naive_effects WHERE report_id = ANY($1::uuid[])',
          [ids],
        );
        return Number(r.rows[0].n);
      },
      timings: async (ids) => {
        const filed = await this.db!.query<{ id: string; t: string }>(
          'SELECT id, (extract(epoch from filed_at) * 1000)::float8 AS t FROM naive_reports WHERE id = ANY($1::uuid[])',
          [ids],
        );
        const effects = await this.db!.query<{ id: string; t: string }>(
          'SELECT report_id AS id, (extract(epoch from received_at) * 1000)::float8 AS t FROM naive_effects WHERE report_id = ANY($1::uuid[])',
          [ids],
        );
        const out = new Map<string, { filedAt: number; deliveredAt: number[] }>();
        for (const r of filed.rows) out.set(r.id, { filedAt: Number(r.t), deliveredAt: [] });
        for (const e of effects.rows) out.get(e.id)?.deliveredAt.push(Number(e.t));
        return out;
      },
    };
  }

  /** Effect rows per report id. */
  async effectCounts(ids: string[]): Promise<Map<string, number>> {
    const r = await this.db!.query<{ id: string; n: string }>(
      'SELECT report_id AS id, count(*) AS n FROM naive_effects WHERE report_id = ANY($1::uuid[]) GROUP BY report_id',
      [ids],
    );
    return new Map(r.rows.map((x) => [x.id, Number(x.n)]));
  }
}
