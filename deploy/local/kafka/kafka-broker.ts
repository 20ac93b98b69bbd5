import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeKafkaCluster, waitForKafka, type KafkaAdminConnection } from '@samverkan/messaging';
import type { StackLogger } from '../log';
import { isPortOpen, PortInUseError } from '../ports';
import { commandLineOf, isAlive, readPid, run, sleep, tail, terminate } from '../process-util';
import {
  adminClientProperties,
  log4jProperties,
  serverProperties,
  type KafkaNodeConfig,
} from './kafka-config';

export interface KafkaStartOptions {
  classpath: string;
  stateDir: string;
  host: string;
  clientPort: number;
  controllerPort: number;
  adminUser: string;
  adminPassword: string;
  /** Every SCRAM user besides admin: seeded at format, added later with ConfigCommand if new. */
  users: Array<{ username: string; password: string }>;
  log: StackLogger;
  readyTimeoutMs?: number;
}

export interface RunningKafka {
  brokers: string[];
  pid: number;
  /** True when this call started the JVM; false when it found ours already running. */
  started: boolean;
  clusterId: string;
  logFile: string;
  admin: KafkaAdminConnection;
  stop(): Promise<void>;
}

const files = (stateDir: string) => ({
  dataDir: join(stateDir, 'data'),
  serverProperties: join(stateDir, 'server.properties'),
  log4j: join(stateDir, 'log4j.properties'),
  adminProperties: join(stateDir, 'admin.properties'),
  pidFile: join(stateDir, 'kafka.pid'),
  logFile: join(stateDir, 'kafka.log'),
  stdoutFile: join(stateDir, 'kafka.stdout.log'),
  usersFile: join(stateDir, 'scram-users.json'),
});

function formattedClusterId(dataDir: string): string | undefined {
  const meta = join(dataDir, 'meta.properties');
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim();
}

/** Our broker from an earlier start: alive, a kafka.Kafka JVM on our server.properties. */
function ourRunningBroker(stateDir: string): number | undefined {
  const f = files(stateDir);
  const pid = readPid(f.pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmd = commandLineOf(pid);
  return cmd.includes('kafka.Kafka') && cmd.includes(f.serverProperties) ? pid : undefined;
}

// Kafka's own launcher (bin/kafka-run-class.sh) starts the JVM with these; without them G1 aims at
// 200 ms pauses, and young collections of the broker under bench:pipeline's load took 20–100 ms each
// (jstat), a stall for every client. MaxInlineLevel=15 is already the default on JDK 17.
const JVM_PERFORMANCE_OPTS = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
];

const javaArgs = (classpath: string, log4j: string, mainClass: string, args: string[], heap?: string) => [
  ...(heap ? [`-Xmx${heap}`, `-Xms${heap}`] : ['-Xmx256m']),
  ...JVM_PERFORMANCE_OPTS,
  `-Dlog4j.configuration=file:${log4j}`,
  '-Djava.awt.headless=true',
  '-cp',
  classpath,
  mainClass,
  ...args,
];

const scramArg = (u: { username: string; password: string }) =>
  `SCRAM-SHA-256=[name=${u.username},password=${u.password}]`;

export async function startKafka(o: KafkaStartOptions): Promise<RunningKafka> {
  const f = files(o.stateDir);
  const brokers = [`${o.host}:${o.clientPort}`];
  const admin: KafkaAdminConnection = { brokers, username: o.adminUser, password: o.adminPassword };
  const readyTimeoutMs = o.readyTimeoutMs ?? 90_000;
  mkdirSync(o.stateDir, { recursive: true });

  const existingPid = ourRunningBroker(o.stateDir);
  if (existingPid !== undefined) {
    o.log(`kafka: found our broker from an earlier start (pid ${existingPid}); checking it ...`);
    const cluster = await waitForKafka(admin, { timeoutMs: readyTimeoutMs }).catch((error: unknown) => {
      throw new Error(
        `Our Kafka (pid ${existingPid}) is running but does not answer on ${brokers[0]}: ${(error as Error).message}. ` +
          `Log: ${f.logFile}. Stop it with \`kill ${existingPid}\` and start again.`,
      );
    });
    const expected = formattedClusterId(f.dataDir);
    if (expected && cluster.clusterId !== expected) {
      throw new Error(
        `Port ${o.clientPort} answers with Kafka cluster ${cluster.clusterId}, not ours (${expected}). ` +
          `Stop the other broker or set SAMVERKAN_KAFKA_PORT.`,
      );
    }
    await ensureScramUsers(o, f);
    o.log(`kafka: reusing broker pid ${existingPid}, cluster ${cluster.clusterId}`);
    return running(o, f, existingPid, false, cluster.clusterId, admin);
  }

  for (const [port, what, envVar] of [
    [o.clientPort, 'Kafka client listener', 'SAMVERKAN_KAFKA_PORT'],
    [o.controllerPort, 'Kafka controller listener', 'SAMVERKAN_KAFKA_CONTROLLER_PORT'],
  ] as const) {
    if (await isPortOpen(o.host, port)) throw new PortInUseError(port, what, envVar);
  }

  const node: KafkaNodeConfig = {
    host: o.host,
    clientPort: o.clientPort,
    controllerPort: o.controllerPort,
    dataDir: f.dataDir,
    logFile: f.logFile,
    adminUser: o.adminUser,
    adminPassword: o.adminPassword,
  };
  writeFileSync(f.serverProperties, serverProperties(node));
  writeFileSync(f.log4j, log4jProperties(node));
  writeFileSync(f.adminProperties, adminClientProperties(node), { mode: 0o600 });

  let clusterId = formattedClusterId(f.dataDir);
  if (!clusterId) {
    clusterId = randomClusterId();
    o.log(
      `kafka: formatting KRaft storage in ${f.dataDir} (cluster ${clusterId}, ${o.users.length + 1} SCRAM users)`,
    );
    rmSync(f.dataDir, { recursive: true, force: true });
    const allUsers = [{ username: o.adminUser, password: o.adminPassword }, ...o.users];
    const result = await run(
      'java',
      javaArgs(o.classpath, f.log4j, 'kafka.tools.StorageTool', [
        'format',
        '--cluster-id',
        clusterId,
        '--config',
        f.serverProperties,
        ...allUsers.flatMap((u) => ['--add-scram', scramArg(u)]),
      ]),
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) {
      throw new Error(
        `Kafka StorageTool format failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    writeFileSync(f.usersFile, JSON.stringify(allUsers.map((u) => u.username).sort(), null, 2));
  } else {
    o.log(`kafka: storage already formatted (cluster ${clusterId})`);
  }

  o.log(
    `kafka: starting broker+controller on ${brokers[0]} (controller ${o.host}:${o.controllerPort}); log: ${f.logFile}`,
  );
  const out = openSync(f.stdoutFile, 'a');
  // Detached into its own process group: Ctrl-C in the terminal reaches the launcher, which then stops
  // the apps first and the broker last, instead of everything dying at once.
  const child = spawn('java', javaArgs(o.classpath, f.log4j, 'kafka.Kafka', [f.serverProperties], '512m'), {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn java for Kafka');
  writeFileSync(f.pidFile, String(pid));
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));

  const failure = (reason: string) =>
    new Error(
      `Kafka did not become ready: ${reason}\n--- last lines of ${f.logFile} ---\n${tail(f.logFile, 25)}\n` +
        `--- ${f.stdoutFile} ---\n${tail(f.stdoutFile, 10)}`,
    );
  let cluster;
  try {
    cluster = await waitForKafka(admin, {
      timeoutMs: readyTimeoutMs,
      onAttemptFailed: () => {
        if (exitCode !== undefined) throw failure(`the JVM exited with code ${exitCode}`);
      },
    });
  } catch (error) {
    await terminate(pid, 5_000);
    rmSync(f.pidFile, { force: true });
    if ((error as Error).message.startsWith('Kafka did not become ready')) throw error;
    throw failure((error as Error).message);
  }
  await ensureScramUsers(o, f);
  return running(o, f, pid, true, cluster.clusterId, admin);
}

function running(
  o: KafkaStartOptions,
  f: ReturnType<typeof files>,
  pid: number,
  started: boolean,
  clusterId: string,
  admin: KafkaAdminConnection,
): RunningKafka {
  return {
    brokers: admin.brokers,
    pid,
    started,
    clusterId,
    logFile: f.logFile,
    admin,
    stop: () => stopKafka(o.stateDir, o.log),
  };
}

export async function stopKafka(stateDir: string, log: StackLogger): Promise<void> {
  const f = files(stateDir);
  const pid = ourRunningBroker(stateDir);
  if (pid === undefined) {
    rmSync(f.pidFile, { force: true });
    return;
  }
  log(`kafka: stopping broker pid ${pid} ...`);
  // A controlled shutdown of a single node takes a few seconds; after 30 s it is killed.
  await terminate(pid, 30_000);
  rmSync(f.pidFile, { force: true });
  log('kafka: stopped');
}

/**
 * SCRAM users added to the topology after the storage was formatted. kafkajs cannot create SCRAM
 * credentials, so this uses Kafka's own ConfigCommand; it only runs when the users file says a user
 * is missing, keeping warm starts fast.
 */
async function ensureScramUsers(o: KafkaStartOptions, f: ReturnType<typeof files>): Promise<void> {
  const known = new Set<string>(
    existsSync(f.usersFile) ? (JSON.parse(readFileSync(f.usersFile, 'utf8')) as string[]) : [],
  );
  const wanted = [{ username: o.adminUser, password: o.adminPassword }, ...o.users];
  const missing = wanted.filter((u) => !known.has(u.username));
  if (missing.length === 0) return;
  // Make sure the admin properties match the running broker (the file may predate a reused broker).
  if (!existsSync(f.adminProperties)) {
    writeFileSync(
      f.adminProperties,
      adminClientProperties({
        host: o.host,
        clientPort: o.clientPort,
        controllerPort: o.controllerPort,
        dataDir: f.dataDir,
        logFile: f.logFile,
        adminUser: o.adminUser,
        adminPassword: o.adminPassword,
      }),
      { mode: 0o600 },
    );
  }
  for (const user of missing) {
    o.log(`kafka: creating SCRAM user ${user.username}`);
    const result = await run(
      'java',
      javaArgs(o.classpath, f.log4j, 'kafka.admin.ConfigCommand', [
        '--bootstrap-server',
        `${o.host}:${o.clientPort}`,
        '--command-config',
        f.adminProperties,
        '--alter',
        '--add-config',
        `SCRAM-SHA-256=[password=${user.password}]`,
        '--entity-type',
        'users',
        '--entity-name',
        user.username,
      ]),
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) {
      throw new Error(
        `Could not create SCRAM user ${user.username} (exit ${result.code}):\n${result.stderr || result.stdout}`,
      );
    }
    known.add(user.username);
    writeFileSync(f.usersFile, JSON.stringify([...known].sort(), null, 2));
  }
  // SCRAM credentials propagate through the metadata log; give the broker a moment before clients use them.
  for (let i = 0; i < 20; i += 1) {
    const last = missing[missing.length - 1];
    try {
      await describeKafkaCluster({
        brokers: [`${o.host}:${o.clientPort}`],
        username: last.username,
        password: last.password,
      });
      return;
    } catch {
      await sleep(250);
    }
  }
}

/**
 * A random KRaft cluster id: a UUID in URL-safe base64 (22 characters), as `kafka-storage
 * random-uuid` makes them, and like Kafka's own Uuid.randomUuid never one that starts with '-': the
 * storage tool's argument parser takes `--cluster-id -SCk...` for a missing value and a new option,
 * and the format fails (one fresh stack in 64).
 */
export function randomClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
