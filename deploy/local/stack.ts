import { join } from 'node:path';
import { mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { SERVICES, topology } from '@samverkan/contracts';
import { applyTopology } from '@samverkan/messaging';
import {
  KAFKA_ADMIN_PASSWORD,
  KAFKA_ADMIN_USER,
  kafkaDevPassword,
  pgDevPassword,
  pgName,
} from './credentials';
import { assembleKafka } from './kafka/kafka-assembly';
import { startKafka, type RunningKafka } from './kafka/kafka-broker';
import { consoleLogger, timed, type StackLogger } from './log';
import { envPort } from './ports';
import {
  ensurePostgres,
  SYSTEM_SOCKET_DIRS,
  unixSocketUrl,
  type PostgresServer,
} from './postgres/postgres-cluster';
import { provisionServiceDatabases } from './postgres/provision-databases';
import { localDir, stackFile } from './paths';
import { isAlive, sleep } from './process-util';
import { writeStackInfo, type StackInfo } from './stack-info';

export interface StackOptions {
  log?: StackLogger;
  /** Where stack.json goes; defaults to SAMVERKAN_STACK_FILE or .local/stack.json. */
  stackFile?: string;
}

export interface RunningStack {
  info: StackInfo;
  stackFile: string;
  kafka: RunningKafka;
  postgres: PostgresServer;
  /**
   * Stops what this call started (`all`: also a broker or cluster it reused). While another process
   * still uses the stack (a jest run, a launcher) it is left running, and the last user stops it.
   */
  stop(options?: { all?: boolean }): Promise<void>;
}

/** Kafka + PostgreSQL with the topology's users, topics, ACLs, databases and roles. Idempotent. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? consoleLogger;
  const dir = localDir();
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const release = await acquireLock(join(dir, 'stack.lock'), log);
  try {
    const host = '127.0.0.1';
    const clientPort = envPort('SAMVERKAN_KAFKA_PORT', 19092);
    const controllerPort = envPort('SAMVERKAN_KAFKA_CONTROLLER_PORT', clientPort + 1);
    const pgPort = envPort('SAMVERKAN_PG_PORT', 55432);

    const classpath = await timed(log, 'kafka: assemble jars', () => assembleKafka(log));
    const users = topology.principals.map((p) => ({
      username: p.username,
      password: kafkaDevPassword(p.username),
    }));
    const [kafkaResult, postgresResult] = await Promise.allSettled([
      timed(log, 'kafka: broker ready', () =>
        startKafka({
          classpath,
          stateDir: join(dir, 'kafka'),
          host,
          clientPort,
          controllerPort,
          adminUser: KAFKA_ADMIN_USER,
          adminPassword: KAFKA_ADMIN_PASSWORD,
          users,
          log,
        }),
      ),
      timed(log, 'postgres: server ready', () =>
        ensurePostgres({ stateDir: join(dir, 'postgres'), privatePort: pgPort, log }),
      ),
    ]);
    if (kafkaResult.status === 'rejected' || postgresResult.status === 'rejected') {
      // Do not leave half a stack behind: stop whichever side this call did start.
      if (kafkaResult.status === 'fulfilled' && kafkaResult.value.started)
        await kafkaResult.value.stop().catch(() => undefined);
      if (postgresResult.status === 'fulfilled' && postgresResult.value.started)
        await postgresResult.value.stop().catch(() => undefined);
      throw kafkaResult.status === 'rejected'
        ? kafkaResult.reason
        : (postgresResult as PromiseRejectedResult).reason;
    }
    const kafka = kafkaResult.value;
    const postgres = postgresResult.value;
    const stopStarted = async (all = false) => {
      if (kafka.started || all) await kafka.stop();
      if (postgres.kind === 'private' && (postgres.started || all)) await postgres.stop();
    };
    try {
      const applied = await timed(log, 'kafka: topics and ACLs from the topology', () =>
        applyTopology(kafka.admin, topology),
      );
      log(
        `kafka: ${applied.topics.created.length} topics created, ${applied.topics.partitionsIncreased.length + applied.topics.reconfigured.length} corrected, ` +
          `${applied.topics.unchanged.length} unchanged; ${applied.aclCount} ACL entries in place`,
      );
      // Every client of the stack (apps, tests, benchmarks) connects the way the admin URL does.
      const viaSocket = await unixSocketUrl(
        postgres.adminUrl,
        postgres.socketDir ? [postgres.socketDir] : SYSTEM_SOCKET_DIRS,
      );
      const adminUrl = viaSocket ?? postgres.adminUrl;
      log(
        viaSocket
          ? `postgres: clients connect through the Unix socket in ${new URL(viaSocket).searchParams.get('host')} (SAMVERKAN_PG_TCP=1 for TCP)`
          : `postgres: clients connect over TCP ${postgres.host}:${postgres.port}`,
      );
      const databases = await timed(log, `postgres: ${SERVICES.length} service databases and roles`, () =>
        provisionServiceDatabases(
          adminUrl,
          SERVICES.map((service) => ({
            service,
            database: pgName(service),
            username: pgName(service),
            password: pgDevPassword(service),
          })),
        ),
      );
      const info: StackInfo = {
        kafka: {
          brokers: kafka.brokers,
          mechanism: 'scram-sha-256',
          admin: { username: KAFKA_ADMIN_USER, password: KAFKA_ADMIN_PASSWORD },
          principals: Object.fromEntries(
            topology.principals.map((p) => [
              p.service,
              { username: p.username, password: kafkaDevPassword(p.username) },
            ]),
          ),
        },
        postgres: { host: postgres.host, port: postgres.port, adminUrl, databases },
        provider: 'local',
        logs: { kafka: kafka.logFile, postgres: postgres.logFile },
      };
      const file = options.stackFile ?? stackFile();
      writeStackInfo(file, info);
      addLease(dir);
      log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; wrote ${file}`);
      return {
        info,
        stackFile: file,
        kafka,
        postgres,
        stop: async (o = {}) => {
          const release2 = await acquireLock(join(dir, 'stack.lock'), log);
          try {
            rmSync(leaseFile(dir, process.pid), { force: true });
            const others = otherLiveLeases(dir);
            const orphanMarker = join(dir, 'leases', 'orphaned');
            if (others.length > 0) {
              log(`leaving the stack running: still used by pid ${others.join(', ')}`);
              if (kafka.started || postgres.started || o.all)
                writeFileSync(orphanMarker, String(process.pid));
              return;
            }
            // The process that started the stack left it to us when it finished first.
            const inherited = existsSync(orphanMarker);
            rmSync(orphanMarker, { force: true });
            await stopStarted(o.all || inherited);
          } finally {
            release2();
          }
        },
      };
    } catch (error) {
      await stopStarted().catch(() => undefined);
      throw error;
    }
  } finally {
    release();
  }
}

const leaseFile = (dir: string, pid: number) => join(dir, 'leases', String(pid));

/** Marks this process as a user of the stack, so another process's teardown does not stop it under us. */
function addLease(dir: string): void {
  mkdirSync(join(dir, 'leases'), { recursive: true });
  writeFileSync(leaseFile(dir, process.pid), new Date().toISOString());
}

function otherLiveLeases(dir: string): number[] {
  const leases = join(dir, 'leases');
  if (!existsSync(leases)) return [];
  const live: number[] = [];
  for (const name of readdirSync(leases)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    if (isAlive(pid)) live.push(pid);
    else rmSync(join(leases, name), { force: true });
  }
  return live;
}

/**
 * A lock directory with the holder's pid, so two starts (two jest projects, a launcher and a test run)
 * never format or start the same broker twice. A lock whose holder died is taken over.
 */
async function acquireLock(lockDir: string, log: StackLogger): Promise<() => void> {
  const owner = join(lockDir, 'pid');
  const deadline = Date.now() + 5 * 60_000;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = existsSync(owner) ? Number(readFileSync(owner, 'utf8')) : NaN;
      if (holder === process.pid) {
        // Re-entrant within one process (jest runs several projects' setups in the same process).
        return () => undefined;
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`Another process (pid ${holder}) holds ${lockDir} for more than 5 minutes`);
      if (!announced) {
        log(`waiting for another stack start (pid ${Number.isNaN(holder) ? '?' : holder}) to finish ...`);
        announced = true;
      }
      await sleep(250);
    }
  }
}
