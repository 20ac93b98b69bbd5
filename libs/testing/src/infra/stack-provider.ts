import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, topology } from '@samverkan/contracts';
import { applyTopology, waitForKafka } from '@samverkan/messaging';
import {
  KAFKA_ADMIN_PASSWORD,
  KAFKA_ADMIN_USER,
  kafkaDevPassword,
  pgDevPassword,
  pgName,
} from '../../../../deploy/local/credentials';
import { localDir } from '../../../../deploy/local/paths';
import { pgReady } from '../../../../deploy/local/postgres/postgres-cluster';
import { provisionServiceDatabases } from '../../../../deploy/local/postgres/provision-databases';
import { startStack } from '../../../../deploy/local/stack';
import { writeStackInfo, type StackInfo } from '../../../../deploy/local/stack-info';

export interface ProvidedStack {
  info: StackInfo;
  stackFile: string;
  /** Stops what the provider started; a no-op for a stack it found running or was given. */
  stop: () => Promise<void>;
  description: string;
}

const log = (line: string) => process.stderr.write(`[test-stack] ${line}\n`);

/** `docker info` answering within a few seconds means an engine is there for testcontainers. */
export function dockerAnswers(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    stdio: 'pipe',
    timeout: 5_000,
  });
  return !result.error && result.status === 0 && result.stdout.toString().trim().length > 0;
}

/**
 * The stack for int/e2e tests, first match wins (SAMVERKAN_TEST_STACK=env|docker|local forces one):
 *   1. KAFKA_BROKERS and DATABASE_URL are set: use them (credentials from SAMVERKAN_STACK_FILE or the env);
 *   2. a Docker engine answers: testcontainers (apache/kafka:3.9.1, postgres:16);
 *   3. the local launcher (deploy/local), which reuses a stack that is already running.
 * If none works the error says what to install or set. Tests are never skipped for lack of infrastructure.
 */
export async function provideStack(): Promise<ProvidedStack> {
  const forced = process.env.SAMVERKAN_TEST_STACK;
  const failures: string[] = [];
  if (forced === 'env' || (!forced && process.env.KAFKA_BROKERS && process.env.DATABASE_URL)) {
    return fromEnv();
  }
  if (forced === 'docker' || (!forced && dockerAnswers())) {
    try {
      const { startTestcontainersStack } = await import('./testcontainers-stack');
      const { info, stop } = await startTestcontainersStack(log);
      const stackFile = join(localDir(), 'stack.testcontainers.json');
      writeStackInfo(stackFile, info);
      return { info, stackFile, stop, description: 'testcontainers' };
    } catch (error) {
      if (forced === 'docker') throw error;
      failures.push(`testcontainers: ${(error as Error).message}`);
      log(`testcontainers failed (${(error as Error).message}); trying the local stack`);
    }
  }
  try {
    const stack = await startStack({ log });
    const startedSomething = stack.kafka.started || stack.postgres.started;
    return {
      info: stack.info,
      stackFile: stack.stackFile,
      description: startedSomething
        ? 'local stack (started for this run)'
        : 'local stack (already running, left running)',
      stop: () => stack.stop(),
    };
  } catch (error) {
    failures.push(`local stack: ${(error as Error).message}`);
    throw new Error(
      'Integration tests need a real Kafka and PostgreSQL, and none could be provided:\n' +
        failures.map((f) => `  - ${f}`).join('\n') +
        '\nFix one of: install Java 17+ and Maven plus PostgreSQL (binaries or a server) for the local stack ' +
        '(`apt-get install -y openjdk-17-jre-headless maven postgresql`); start a Docker engine; or set ' +
        'KAFKA_BROKERS, KAFKA_USERNAME, KAFKA_PASSWORD and DATABASE_URL to a running broker and server.',
    );
  }
}

async function fromEnv(): Promise<ProvidedStack> {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const adminUrl = process.env.DATABASE_URL;
  if (brokers.length === 0 || !adminUrl)
    throw new Error('SAMVERKAN_TEST_STACK=env needs KAFKA_BROKERS and DATABASE_URL');
  const given = process.env.SAMVERKAN_STACK_FILE;
  const base =
    given && existsSync(given) ? (JSON.parse(readFileSync(given, 'utf8')) as StackInfo) : undefined;
  const adminCreds = {
    username: process.env.KAFKA_USERNAME ?? base?.kafka.admin.username ?? KAFKA_ADMIN_USER,
    password: process.env.KAFKA_PASSWORD ?? base?.kafka.admin.password ?? KAFKA_ADMIN_PASSWORD,
  };
  log(`using KAFKA_BROKERS=${brokers.join(',')} and DATABASE_URL (host ${new URL(adminUrl).host})`);
  await waitForKafka({ brokers, ...adminCreds }, { timeoutMs: 30_000 }).catch((error: unknown) => {
    throw new Error(
      `KAFKA_BROKERS=${brokers.join(',')} as ${adminCreds.username}: ${(error as Error).message}`,
    );
  });
  const ready = await pgReady(adminUrl, 5_000);
  if (ready !== true) throw new Error(`DATABASE_URL does not answer SELECT 1: ${ready.message}`);
  // The given broker must already hold the principals' SCRAM users (kafkajs cannot create them); topics,
  // ACLs and databases are ensured here like everywhere else.
  await applyTopology({ brokers, ...adminCreds }, topology);
  const databases = await provisionServiceDatabases(
    adminUrl,
    SERVICES.map((s) => ({
      service: s,
      database: pgName(s),
      username: pgName(s),
      password: pgDevPassword(s),
    })),
  );
  const u = new URL(adminUrl);
  const info: StackInfo = {
    kafka: {
      brokers,
      mechanism: 'scram-sha-256',
      admin: adminCreds,
      principals:
        base?.kafka.principals ??
        Object.fromEntries(
          topology.principals.map((p) => [
            p.service,
            { username: p.username, password: kafkaDevPassword(p.username) },
          ]),
        ),
    },
    postgres: { host: u.hostname, port: Number(u.port || 5432), adminUrl, databases },
    provider: 'env',
  };
  const stackFile = join(localDir(), 'stack.env.json');
  writeStackInfo(stackFile, info);
  return {
    info,
    stackFile,
    stop: async () => undefined,
    description: 'KAFKA_BROKERS / DATABASE_URL from the environment',
  };
}
