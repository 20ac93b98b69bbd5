import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import {
  createScratchDatabase,
  dropScratchDatabase,
  loadStackInfo,
  type StackInfo,
} from '@samverkan/testing';
import { skipIdleRequestQueueChecks } from '@samverkan/messaging';
import { startStack } from '../../deploy/local/stack';
import { onCleanup, REPO_ROOT } from './processes';

export type StackMode = 'shared' | 'private';

/**
 * The stack the benchmark runs on. `shared` (default): the checkout's stack (.local/stack.json),
 * started if needed and left as found. `private`: a broker of the benchmark's own (its own state
 * folder and port), so the fixed consumer groups (`education`, `router`, `social-services`) cannot
 * meet instances from a test run on the shared broker. PostgreSQL is the same server either way;
 * the benchmark only ever uses scratch databases on it.
 */
export async function provideBenchStack(mode: StackMode, log: (line: string) => void): Promise<StackInfo> {
  if (mode === 'private') {
    const dir = process.env.BENCH_STACK_DIR ?? join(REPO_ROOT, '.local', 'bench-pipeline-stack');
    process.env.SAMVERKAN_LOCAL_DIR = dir;
    process.env.SAMVERKAN_KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '29092';
    process.env.SAMVERKAN_KAFKA_CONTROLLER_PORT = String(Number(process.env.SAMVERKAN_KAFKA_PORT) + 1);
    process.env.SAMVERKAN_STACK_FILE = join(dir, 'stack.json');
  }
  const stack = await startStack({ log: (line) => log(`stack: ${line}`) });
  process.env.SAMVERKAN_STACK_FILE = stack.stackFile;
  // stop() leaves a stack that someone else started or still uses running.
  onCleanup(() => stack.stop());
  return loadStackInfo();
}

export function adminKafka(info: StackInfo, clientId: string): Kafka {
  // The harness's readers share the cores with what they measure: no idle timer loop (kafkajs#1556).
  skipIdleRequestQueueChecks();
  return new Kafka({
    clientId,
    brokers: info.kafka.brokers,
    sasl: { mechanism: info.kafka.mechanism, ...info.kafka.admin },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * The hub's consumer groups are fixed by the ACLs, so a second instance of education, router or
 * social-services on this broker would take partitions (and their effects would land in its own
 * database, not in the benchmark's). Refuse rather than measure that.
 *
 * Members of a process that was killed (an interrupted run, on the private broker too: the group
 * state outlives a broker restart) stay until their session times out (30 s), so members are waited
 * for up to `waitMs` before the benchmark gives up.
 */
export async function assertGroupsIdle(
  info: StackInfo,
  groups: string[],
  options: { waitMs: number; log: (line: string) => void },
): Promise<void> {
  const admin = adminKafka(info, 'bench-pipeline-check').admin();
  await admin.connect();
  try {
    const deadline = Date.now() + options.waitMs;
    let logged = false;
    for (;;) {
      const described = await admin.describeGroups(groups);
      const busy = described.groups.filter((g) => g.members.length > 0);
      if (busy.length === 0) return;
      const who = busy
        .map(
          (g) =>
            `${g.groupId} (${g.members.length} member${g.members.length === 1 ? '' : 's'}: ${[...new Set(g.members.map((m) => m.clientHost))].join(', ')})`,
        )
        .join(', ');
      if (Date.now() >= deadline) {
        throw new Error(
          `Other instances are consuming as ${who} on ${info.kafka.brokers.join(',')}. ` +
            'The benchmark must be the only instance of these apps (their consumer groups are fixed). ' +
            'Stop them (a test run, `npm start`), or run on a broker of its own: BENCH_STACK=private npm run bench:pipeline',
        );
      }
      if (!logged) {
        options.log(
          `waiting up to ${Math.round(options.waitMs / 1000)} s for members of ${who} to leave ` +
            "(a stopped run's members expire after their 30 s session timeout; live instances do not)",
        );
        logged = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}

/** The scratch databases of this run, for the autovacuum stand-in. */
const benchDatabases = new Set<string>();

/** The names of this run's scratch databases (the CPU meter groups PostgreSQL's backends by them). */
export function benchDatabaseNames(): string[] {
  return [...benchDatabases].map((url) => decodeURIComponent(new URL(url).pathname.slice(1)));
}

/** A scratch database dropped at the end of the run (also on Ctrl-C). */
export async function scratchDatabase(prefix: string): Promise<string> {
  const url = await createScratchDatabase(prefix);
  benchDatabases.add(url);
  onCleanup(async () => {
    benchDatabases.delete(url);
    await dropScratchDatabase(url);
  });
  return url;
}

/**
 * Drops a scratch database before the end of the run (the hub's, before the baseline runs), so that
 * the autovacuum stand-in stops working on it in the baseline's time.
 */
export async function retireScratchDatabase(url: string): Promise<void> {
  benchDatabases.delete(url);
  await dropScratchDatabase(url);
}

/** What the run did about PostgreSQL's autovacuum (written to pipeline.json). */
export interface AutovacuumReport {
  server: 'on' | 'off';
  standIn: boolean;
  everySeconds: number | null;
  passes: number;
}

/**
 * Production PostgreSQL runs autovacuum, which also ANALYZEs: it keeps the planner's statistics of
 * growing tables current, and the new statistics make the apps' prepared statements plan again.
 * Without it a statement planned while its table was still small (the benchmark starts from empty
 * databases) keeps a sequential scan for the rest of the run, and every dead index entry stays. A
 * server with autovacuum off (as this machine's, set in its configuration file) would measure that,
 * not the hub or the baseline. So where the server has it off, the benchmark runs VACUUM (ANALYZE)
 * on its own databases (the hub's and the baseline's alike), once after each warm-up (a database in
 * service has statistics) and then every autovacuum_naptime, the interval at which autovacuum looks
 * at each database. The server's settings are left as they are.
 */
export class AutovacuumStandIn {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private passes = 0;

  private constructor(
    private readonly adminUrl: string,
    private readonly server: 'on' | 'off',
    private readonly everyMs: number,
    private readonly log: (line: string) => void,
  ) {}

  static async start(info: StackInfo, log: (line: string) => void): Promise<AutovacuumStandIn> {
    const admin = new Client({ connectionString: info.postgres.adminUrl, connectionTimeoutMillis: 5_000 });
    await admin.connect();
    let server: 'on' | 'off';
    let naptimeSeconds: number;
    try {
      server =
        (await admin.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0].autovacuum === 'on'
          ? 'on'
          : 'off';
      const { rows } = await admin.query<{ seconds: string }>(
        `SELECT setting AS seconds FROM pg_settings WHERE name = 'autovacuum_naptime'`,
      );
      naptimeSeconds = Number(rows[0]?.seconds ?? 60);
    } finally {
      await admin.end();
    }
    const standIn = new AutovacuumStandIn(info.postgres.adminUrl, server, naptimeSeconds * 1000, log);
    if (server === 'off') {
      log(
        `postgres: autovacuum is off on this server; the benchmark runs VACUUM (ANALYZE) on its databases after each warm-up and every ${naptimeSeconds} s in its place`,
      );
      standIn.timer = setInterval(() => void standIn.pass(), standIn.everyMs);
      standIn.timer.unref();
      onCleanup(() => standIn.stop());
    }
    return standIn;
  }

  /** One pass over the run's databases now (nothing when the server runs autovacuum itself). */
  pass(): Promise<void> {
    if (this.server === 'on') return Promise.resolve();
    // One pass at a time: a pass still running when the timer fires is not doubled.
    this.running ??= this.vacuumAll().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  report(): AutovacuumReport {
    return {
      server: this.server,
      standIn: this.server === 'off',
      everySeconds: this.server === 'off' ? this.everyMs / 1000 : null,
      passes: this.passes,
    };
  }

  private async vacuumAll(): Promise<void> {
    const started = Date.now();
    for (const url of [...benchDatabases]) {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      try {
        await client.connect();
        await client.query('VACUUM (ANALYZE)');
      } catch (error) {
        // A database dropped meanwhile (the end of a run): nothing to keep current there.
        if (benchDatabases.has(url))
          this.log(`postgres: VACUUM (ANALYZE) failed: ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    this.passes++;
    this.log(`postgres: VACUUM (ANALYZE) of ${benchDatabases.size} databases in ${Date.now() - started} ms`);
  }
}
