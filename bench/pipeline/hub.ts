import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { createTestIssuer, ROLES } from '@samverkan/auth';
import { audienceTopic, sourceTopic } from '@samverkan/contracts';
import type { StackInfo } from '@samverkan/testing';
import { DeliveryCollector } from './collector';
import { KEEP_ALIVE_IDLE_MS } from './load';
import { freePort, onCleanup, sleep, spawnTs, type Proc, waitHealthy } from './processes';
import { hopBreakdown, type HopBreakdown, type PipelineUnderTest } from './run';
import { retireScratchDatabase, scratchDatabase } from './stack';
import { syntheticReport } from './synthetic';

export type HubAppName = 'education' | 'router' | 'social-services';

interface AppSpec {
  name: HubAppName;
  env: Record<string, string>;
  url: string;
}

/**
 * The hub as `npm start` runs it: education, router and social-services each its own process with
 * its own principal, on scratch databases of this run. The bench reads the apps' databases directly
 * for timestamps (filed_at, registered_at, feedback_received_at), never for anything else.
 */
export class BenchHub {
  readonly procs = new Map<HubAppName, Proc>();
  private readonly specs = new Map<HubAppName, AppSpec>();
  private readonly db = new Map<HubAppName, Client>();
  private databasesRetired = false;
  readonly collector: DeliveryCollector;
  /** The relay's sends (Kafka timestamps of the filed events on education's source topic), for `hops`. */
  readonly sourceCollector: DeliveryCollector;
  private reporterToken = '';
  private socialToken = '';
  private readonly schoolUnit = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  private driver?: DecisionDriver;

  constructor(private readonly info: StackInfo) {
    this.collector = new DeliveryCollector(info, audienceTopic('reporting'));
    this.sourceCollector = new DeliveryCollector(info, sourceTopic('education'), { lazy: true });
  }

  async start(log: (line: string) => void): Promise<void> {
    const issuer = await createTestIssuer();
    onCleanup(() => issuer.cleanup());
    this.reporterToken = await issuer.mintFor({
      agency: 'education',
      orgUnit: this.schoolUnit,
      roles: [ROLES.REPORTER],
    });
    this.socialToken = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    const names: HubAppName[] = ['router', 'education', 'social-services'];
    for (const name of names) {
      const principal = this.info.kafka.principals[name];
      if (!principal) throw new Error(`the stack has no Kafka principal for ${name}`);
      const databaseUrl = await scratchDatabase(`bench_${name.replace('-', '_')}`);
      const port = await freePort();
      const env: Record<string, string> = {
        KAFKA_BROKERS: this.info.kafka.brokers.join(','),
        KAFKA_USERNAME: principal.username,
        KAFKA_PASSWORD: principal.password,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...issuer.env,
      };
      if (name === 'router') {
        env.ROUTER_PSEUDONYM_KEY = 'samverkan-bench-router-pseudonym-key-not-a-secret';
        // Stable across the injected restart, so the restarted router fences its killed predecessor.
        env.ROUTER_INSTANCE_ID = `bench-${randomUUID().slice(0, 8)}`;
      }
      this.specs.set(name, { name, env, url: `http://127.0.0.1:${port}` });
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      onCleanup(async () => {
        if (!this.databasesRetired) await client.end();
      });
      this.db.set(name, client);
    }
    log('starting router, education and social-services (ts-node; slow on a loaded machine)...');
    await Promise.all(names.map((name) => this.startApp(name)));
    // The decision driver's polling must not load the system it measures: an index of the bench's own
    // on its scratch copy of the intake (the app has no query by registration time).
    await this.db
      .get('social-services')!
      .query('CREATE INDEX IF NOT EXISTS bench_intake_registered_idx ON intake_items (registered_at)');
    await this.collector.start();
    onCleanup(() => this.collector.stop());
    await this.sourceCollector.start();
    onCleanup(() => this.sourceCollector.stop());
  }

  /**
   * After the hub's steps, with its apps stopped: ends the bench's own clients and drops the hub's
   * scratch databases, which the autovacuum stand-in would otherwise go on vacuuming while the
   * baseline is measured.
   */
  async retireDatabases(): Promise<void> {
    if (this.databasesRetired) return;
    this.databasesRetired = true;
    this.driver?.stop();
    await this.driver?.finished();
    await Promise.all([...this.db.values()].map((client) => client.end().catch(() => undefined)));
    for (const spec of this.specs.values()) await retireScratchDatabase(spec.env.DATABASE_URL);
  }

  async startApp(name: HubAppName): Promise<void> {
    const spec = this.specs.get(name)!;
    const proc = spawnTs(`hub-${name}`, `apps/${name}/src/main.ts`, spec.env);
    this.procs.set(name, proc);
    await waitHealthy(proc, `${spec.url}/health`);
  }

  /** SIGTERM, then start again with the same settings. */
  async restart(name: HubAppName): Promise<void> {
    await this.procs.get(name)!.stop();
    await this.startApp(name);
  }

  /** SIGKILL, then start again with the same settings (same instance id, database, group). */
  async crashAndRestart(name: HubAppName): Promise<void> {
    await this.procs.get(name)!.crash();
    await this.startApp(name);
  }

  get educationUrl(): string {
    return this.specs.get('education')!.url;
  }

  body = () => syntheticReport(this.schoolUnit);

  /** filed → the concern-report.filed copy read on samverkan.audience.reporting. */
  reportingPipeline(): PipelineUnderTest {
    return {
      name: 'hub',
      postUrl: `${this.educationUrl}/concern-reports`,
      token: this.reporterToken,
      body: this.body,
      deliveredCount: async (ids) => ids.filter((id) => this.collector.deliveries.has(id)).length,
      timings: async (ids) => {
        const filed = await this.filedAt(ids);
        const out = new Map<string, { filedAt: number; deliveredAt: number[] }>();
        for (const [id, filedAt] of filed)
          out.set(id, {
            filedAt,
            deliveredAt: (this.collector.deliveries.get(id) ?? []).map((d) => d.arrivedAt),
          });
        return out;
      },
      hops: (ids) => this.hops(ids),
    };
  }

  /**
   * filed → the relay took the outbox row (its transaction's start) → the relay's send (the source
   * event's Kafka timestamp) → the router produced the reporting copy → readable by the collector.
   */
  async hops(ids: string[]): Promise<HopBreakdown> {
    // The source reader is lazy (see DeliveryCollector): give it time to catch up with the step.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && ids.some((id) => !this.sourceCollector.deliveries.has(id)))
      await sleep(100);
    const filed = await this.filedAt(ids);
    const pickedUp = await this.relayPickedUpAt(ids);
    const perId = ids.flatMap((id) => {
      const f = filed.get(id);
      const r = pickedUp.get(id);
      const sent = this.sourceCollector.deliveries.get(id)?.[0];
      const k = this.collector.deliveries.get(id)?.[0];
      if (f === undefined || r === undefined || !sent || !k) return [];
      const hops = [r - f, sent.kafkaTs - r, k.kafkaTs - sent.kafkaTs, k.arrivedAt - k.kafkaTs].map((x) =>
        Math.max(0, x),
      );
      return [{ total: Math.max(0, k.arrivedAt - f), hops }];
    });
    return hopBreakdown(
      ['filedToRelayPickup', 'relayPickupToRelaySend', 'relaySendToRouterProduce', 'routerProduceToReadable'],
      perId,
    );
  }

  async filedAt(ids: string[]): Promise<Map<string, number>> {
    const rows = await this.db
      .get('education')!
      .query<{ id: string; t: string }>(
        'SELECT id, (extract(epoch from filed_at) * 1000)::float8 AS t FROM concern_reports WHERE id = ANY($1::uuid[])',
        [ids],
      );
    return new Map(rows.rows.map((r) => [r.id, Number(r.t)]));
  }

  /**
   * When education's relay took each report's outbox row (its batch transaction's start: published_at
   * is now() of the transaction that selected, sent and marked it).
   */
  async relayPickedUpAt(ids: string[]): Promise<Map<string, number>> {
    const rows = await this.db.get('education')!.query<{ id: string; t: string }>(
      `SELECT payload::jsonb->>'reportId' AS id, (extract(epoch from published_at) * 1000)::float8 AS t
           FROM messaging_outbox
          WHERE published_at IS NOT NULL AND payload::jsonb->>'reportId' = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.rows.map((r) => [r.id, Number(r.t)]));
  }

  /** Per report: filed, registered in the intake (social services' effect), decided, feedback visible in education. */
  async stages(ids: string[]) {
    const edu = await this.db.get('education')!.query<{ id: string; filed: string; feedback: string | null }>(
      `SELECT id, (extract(epoch from filed_at) * 1000)::float8 AS filed,
              (extract(epoch from feedback_received_at) * 1000)::float8 AS feedback
         FROM concern_reports WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const soc = await this.db
      .get('social-services')!
      .query<{ id: string; registered: string; decided: string | null }>(
        `SELECT report_id AS id, (extract(epoch from registered_at) * 1000)::float8 AS registered,
              (extract(epoch from decided_at) * 1000)::float8 AS decided
         FROM intake_items WHERE report_id = ANY($1::uuid[])`,
        [ids],
      );
    const social = new Map(soc.rows.map((r) => [r.id, r]));
    return edu.rows.map((r) => ({
      id: r.id,
      filedAt: Number(r.filed),
      feedbackAt: r.feedback === null ? null : Number(r.feedback),
      registeredAt: social.has(r.id) ? Number(social.get(r.id)!.registered) : null,
      decidedAt: social.get(r.id)?.decided == null ? null : Number(social.get(r.id)!.decided),
    }));
  }

  async feedbackCount(ids: string[]): Promise<number> {
    const r = await this.db
      .get('education')!
      .query<{ n: string }>(
        'SELECT count(*) AS n FROM concern_reports WHERE id = ANY($1::uuid[]) AND feedback_received_at IS NOT NULL',
        [ids],
      );
    return Number(r.rows[0].n);
  }

  /** Intake rows per report id (social services' effect). */
  async intakeCounts(ids: string[]): Promise<Map<string, number>> {
    const r = await this.db
      .get('social-services')!
      .query<{ id: string; n: string }>(
        'SELECT report_id AS id, count(*) AS n FROM intake_items WHERE report_id = ANY($1::uuid[]) GROUP BY report_id',
        [ids],
      );
    return new Map(r.rows.map((x) => [x.id, Number(x.n)]));
  }

  startDecisionDriver(fraction: number): DecisionDriver {
    this.driver = new DecisionDriver(
      this.db.get('social-services')!,
      this.specs.get('social-services')!.url,
      this.socialToken,
      fraction,
    );
    this.driver.start();
    onCleanup(async () => this.driver?.stop());
    return this.driver;
  }
}

/**
 * Plays the social worker: polls the intake register (social services' own database, every 50 ms)
 * and, for each newly registered report, POSTs the protection assessment and then the decision over
 * HTTP, like a caseworker's system would. `fraction` < 1 decides only that share of the reports.
 */
export class DecisionDriver {
  private running = false;
  private readonly seen = new Set<string>();
  private readonly queue: string[] = [];
  private inFlight = 0;
  decided = 0;
  failures = 0;
  private loop?: Promise<void>;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32, timeout: KEEP_ALIVE_IDLE_MS });

  constructor(
    private readonly db: Client,
    private readonly url: string,
    private readonly token: string,
    private readonly fraction: number,
    private readonly concurrency = 24,
  ) {}

  /** Reports registered before the driver started are left undecided. */
  private cursor = new Date();

  /**
   * Polls what was registered since the last look (by registration time, through the bench's own
   * index; see BenchHub.start), re-reading the last second so that rows committed a little after
   * the time they carry are not missed; `seen` drops the repeats. The first version re-read up to
   * 2,000 undecided rows every 50 ms, which loaded Postgres noticeably and, with a fraction below 1,
   * never looked past the first 2,000.
   */
  start(): void {
    this.cursor = new Date();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const r = await this.db.query<{ id: string; at: Date }>(
            'SELECT report_id AS id, registered_at AS at FROM intake_items WHERE registered_at >= $1 ORDER BY registered_at LIMIT 5000',
            [this.cursor],
          );
          for (const { id } of r.rows) {
            if (this.seen.has(id)) continue;
            this.seen.add(id);
            if (this.fraction >= 1 || Math.random() < this.fraction) this.queue.push(id);
          }
          const last = r.rows[r.rows.length - 1]?.at;
          if (last) {
            // A full page with a second of overlap could not move on: step to its end instead.
            const next = r.rows.length === 5000 ? last.getTime() : last.getTime() - 1000;
            if (next > this.cursor.getTime()) this.cursor = new Date(next);
          }
        } catch {
          // the database is ours and local; a failed poll is retried on the next tick
        }
        this.pump();
        await sleep(100);
      }
    })();
  }

  stop(): void {
    this.running = false;
    this.agent.destroy();
  }

  /** Resolves when the polling loop has ended (after stop()). */
  async finished(): Promise<void> {
    await this.loop;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.inFlight++;
      void this.decide(id).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * node:http on kept-alive sockets, as the load generator: the driver shares the two cores with
   * what it measures, and fetch() (undici, WHATWG streams) cost it noticeably more per request.
   */
  private post(path: string, body: unknown): Promise<number> {
    const payload = JSON.stringify(body);
    return new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${this.url}${path}`,
        {
          agent: this.agent,
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async decide(id: string): Promise<void> {
    // 409 means the step is already recorded (a retry after a lost answer): go on.
    for (let attempt = 0; this.running && attempt < 50; attempt++) {
      try {
        const a = await this.post(`/concern-reports/${id}/protection-assessment`, {
          outcome: 'no-immediate-protection-needed',
          assessedAt: new Date().toISOString(),
        });
        if (a !== 200 && a !== 409) throw new Error(String(a));
        const d = await this.post(`/concern-reports/${id}/decision`, {
          decision: 'investigation-not-opened',
        });
        if (d !== 200 && d !== 409) throw new Error(String(d));
        this.decided++;
        return;
      } catch {
        this.failures++;
        await sleep(250);
      }
    }
  }
}
