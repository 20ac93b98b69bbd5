import { createServer } from 'node:net';
import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { SERVICES, topology } from '@samverkan/contracts';
import { applyTopology, waitForKafka } from '@samverkan/messaging';
import { serverProperties } from '../../../../deploy/local/kafka/kafka-config';
import {
  KAFKA_ADMIN_PASSWORD,
  KAFKA_ADMIN_USER,
  kafkaDevPassword,
  pgDevPassword,
  pgName,
} from '../../../../deploy/local/credentials';
import { provisionServiceDatabases } from '../../../../deploy/local/postgres/provision-databases';
import { pgUrl } from '../../../../deploy/local/postgres/postgres-cluster';
import type { StackInfo } from './stack-info';

export const KAFKA_IMAGE = 'apache/kafka:3.9.1';
export const POSTGRES_IMAGE = 'postgres:16';

/** A free TCP port on this host (the broker must advertise the port clients will actually use). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The same broker configuration as the local launcher (SCRAM, StandardAuthorizer, the topology's users),
 * in the official apache/kafka image: the storage is formatted with --add-scram by our own command
 * because the image's entrypoint has no way to seed SCRAM users.
 */
export async function startTestcontainersStack(
  log: (line: string) => void,
): Promise<{ info: StackInfo; stop: () => Promise<void> }> {
  const runtime = await getContainerRuntimeClient();
  const host = runtime.info.containerRuntime.host;
  const clientPort = await freePort();
  const users = [
    { username: KAFKA_ADMIN_USER, password: KAFKA_ADMIN_PASSWORD },
    ...topology.principals.map((p) => ({ username: p.username, password: kafkaDevPassword(p.username) })),
  ];
  const properties = serverProperties({
    host: 'localhost',
    listenHost: '0.0.0.0',
    advertisedHost: host,
    controllerHost: 'localhost',
    clientPort,
    controllerPort: 9093,
    dataDir: '/tmp/samverkan/data',
    logFile: '/dev/null',
    adminUser: KAFKA_ADMIN_USER,
    adminPassword: KAFKA_ADMIN_PASSWORD,
  });
  const scram = users
    .map((u) => `--add-scram 'SCRAM-SHA-256=[name=${u.username},password=${u.password}]'`)
    .join(' ');
  const script = [
    'set -e',
    `/opt/kafka/bin/kafka-storage.sh format --cluster-id "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" --config /tmp/samverkan/server.properties ${scram}`,
    'exec /opt/kafka/bin/kafka-server-start.sh /tmp/samverkan/server.properties',
  ].join('\n');

  log(`testcontainers: starting ${KAFKA_IMAGE} and ${POSTGRES_IMAGE} on ${host}`);
  const started: StartedTestContainer[] = [];
  const stop = async () => {
    await Promise.all(started.map((c) => c.stop({ timeout: 10_000 }).catch(() => undefined)));
  };
  try {
    const [kafka, postgres] = await Promise.all([
      new GenericContainer(KAFKA_IMAGE)
        .withCopyContentToContainer([{ content: properties, target: '/tmp/samverkan/server.properties' }])
        .withEntrypoint(['/bin/bash', '-c', script])
        .withEnvironment({ KAFKA_HEAP_OPTS: '-Xmx512m -Xms512m' })
        .withExposedPorts({ container: clientPort, host: clientPort })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .withStartupTimeout(120_000)
        .start()
        .then((c) => (started.push(c), c)),
      new GenericContainer(POSTGRES_IMAGE)
        .withEnvironment({ POSTGRES_PASSWORD: 'samverkan-dev-postgres', POSTGRES_USER: 'postgres' })
        .withExposedPorts(5432)
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .withStartupTimeout(120_000)
        .start()
        .then((c) => (started.push(c), c)),
    ]);
    const brokers = [`${host}:${kafka.getMappedPort(clientPort)}`];
    const admin = { brokers, username: KAFKA_ADMIN_USER, password: KAFKA_ADMIN_PASSWORD };
    await waitForKafka(admin, { timeoutMs: 60_000 });
    await applyTopology(admin, topology);
    const pgHost = postgres.getHost();
    const pgPort = postgres.getMappedPort(5432);
    const adminUrl = pgUrl({
      host: pgHost,
      port: pgPort,
      user: 'postgres',
      password: 'samverkan-dev-postgres',
      database: 'postgres',
    });
    const databases = await provisionServiceDatabases(
      adminUrl,
      SERVICES.map((s) => ({
        service: s,
        database: pgName(s),
        username: pgName(s),
        password: pgDevPassword(s),
      })),
    );
    const info: StackInfo = {
      kafka: {
        brokers,
        mechanism: 'scram-sha-256',
        admin: { username: KAFKA_ADMIN_USER, password: KAFKA_ADMIN_PASSWORD },
        principals: Object.fromEntries(
          topology.principals.map((p) => [
            p.service,
            { username: p.username, password: kafkaDevPassword(p.username) },
          ]),
        ),
      },
      postgres: { host: pgHost, port: pgPort, adminUrl, databases },
      provider: 'testcontainers',
    };
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
