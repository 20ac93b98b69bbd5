import { kafkaDevPassword, pgDevPassword, pgName } from '../../deploy/local/credentials';
import type { DeliveryMode } from './app-templates';
import { NewConsumerError, NewConsumerErrorCode } from './consumer-name';
import { insertAboveMarker } from './declaration-edits';
import { devWebhookSecret } from './webhook-templates';

/**
 * Edits of the files that list every service outside the topology (docker-compose.yml and the images'
 * seed scripts; test/compose checks them against the topology), and the console's local health list.
 * Like the declaration edits, each inserts above a marker line and is a no-op when already applied.
 */

export const COMPOSE_FILE = 'docker-compose.yml';
export const KAFKA_START_FILE = 'deploy/docker/kafka/kafka-start.sh';
export const POSTGRES_INIT_FILE = 'deploy/docker/postgres/10-service-databases.sql';
export const OPERATIONS_LOCAL_ENV = 'apps/operations/local.env';

export const DEPLOY_MARKERS = {
  compose: '# new-consumer: services above this line',
  scram: '# new-consumer: users above this line',
  databases: '-- new-consumer: databases above this line',
} as const;

/** The host port after the highest one an app publishes (apps map 127.0.0.1:30xx to 3000). */
export function nextComposePort(compose: string): number {
  const ports = [...compose.matchAll(/'127\.0\.0\.1:(\d+):3000'/g)].map((m) => Number(m[1]));
  return Math.max(3000, ...ports) + 1;
}

export function addComposeService(compose: string, name: string, mode: DeliveryMode): string {
  if (new RegExp(`^  ${name}:$`, 'm').test(compose)) return compose;
  const webhook =
    mode === 'webhook'
      ? `
    # The subscriber's receiver: deliveries fail (and are dead-lettered) until it is set.
    WEBHOOK_URL: https://webhook-receiver.invalid/${name}
    # Development secret only (the same as apps/${name}/local.env); production mounts WEBHOOK_SECRET_FILE.
    WEBHOOK_SECRET: ${devWebhookSecret(name)}`
      : '';
  const block = `${name}:
  build:
    context: .
    dockerfile: deploy/docker/Dockerfile
    args:
      APP: ${name}
  command: ['node', 'dist/apps/${name}/src/main.js']
  environment:
    KAFKA_BROKERS: kafka:9092
    KAFKA_USERNAME: ${name}
    KAFKA_PASSWORD: ${kafkaDevPassword(name)}
    DATABASE_URL: postgresql://${pgName(name)}:${pgDevPassword(name)}@postgres:5432/${pgName(name)}
    PORT: '3000'
    # Tokens of the local development issuer (\`npx ts-node scripts/mint-token.ts\` creates .local/auth).
    AUTH_JWKS_FILE: /app/.local/auth/jwks.json
    AUTH_ISSUER: https://auth.samverkan.local
    AUTH_AUDIENCE: samverkan-hub${webhook}
  volumes:
    - ./.local/auth/jwks.json:/app/.local/auth/jwks.json:ro
  ports:
    - '127.0.0.1:${nextComposePort(compose)}:3000'
  depends_on:
    kafka-init:
      condition: service_completed_successfully
    postgres:
      condition: service_healthy
  restart: unless-stopped

`;
  return addComposeOperationsServiceUrl(
    insertBlockAboveMarker(compose, DEPLOY_MARKERS.compose, block, COMPOSE_FILE),
    name,
  );
}

/** The console in compose lists the new app's /health and webhook status by its service name. */
export function addComposeOperationsServiceUrl(compose: string, name: string): string {
  const line = /^(\s+OPERATIONS_SERVICE_URLS: )(.*)$/m.exec(compose);
  if (!line) return compose;
  const pairs = line[2].split(',').filter(Boolean);
  if (pairs.some((p) => p.startsWith(`${name}=`))) return compose;
  return compose.replace(line[0], `${line[1]}${[...pairs, `${name}=http://${name}:3000`].join(',')}`);
}

export function addScramUser(script: string, name: string): string {
  return insertAboveMarker(
    script,
    DEPLOY_MARKERS.scram,
    `'SCRAM-SHA-256=[name=${name},password=${kafkaDevPassword(name)}]'`,
    KAFKA_START_FILE,
  );
}

export function addDatabase(sql: string, name: string): string {
  const db = pgName(name);
  if (sql.includes(`CREATE DATABASE ${db} OWNER`)) return sql;
  const block = `CREATE ROLE ${db} LOGIN PASSWORD '${pgDevPassword(name)}';
CREATE DATABASE ${db} OWNER ${db};
REVOKE CONNECT, TEMPORARY ON DATABASE ${db} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${db};
\\connect ${db}
ALTER SCHEMA public OWNER TO ${db};
REVOKE ALL ON SCHEMA public FROM PUBLIC;
\\connect postgres

`;
  return insertBlockAboveMarker(sql, DEPLOY_MARKERS.databases, block, POSTGRES_INIT_FILE);
}

/** The console lists the new app's /health (and its webhook status) under `npm start`. */
export function addOperationsServiceUrl(localEnv: string, name: string, port: number): string {
  const lines = localEnv.split('\n');
  const at = lines.findIndex((l) => l.startsWith('OPERATIONS_SERVICE_URLS='));
  const entry = `${name}=http://127.0.0.1:${port}`;
  if (at < 0) return `${localEnv.replace(/\n?$/, '\n')}OPERATIONS_SERVICE_URLS=${entry}\n`;
  const pairs = lines[at].slice('OPERATIONS_SERVICE_URLS='.length).split(',').filter(Boolean);
  if (pairs.some((p) => p.startsWith(`${name}=`))) return localEnv;
  lines[at] = `OPERATIONS_SERVICE_URLS=${[...pairs, entry].join(',')}`;
  return lines.join('\n');
}

/** A multi-line block directly above the marker, indented like the marker. */
function insertBlockAboveMarker(source: string, marker: string, block: string, file: string): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.trim() === marker);
  if (at < 0) {
    throw new NewConsumerError(
      NewConsumerErrorCode.MARKER_MISSING,
      `${file} has no line "${marker}"; restore it (the generator inserts above it)`,
    );
  }
  const indent = /^\s*/.exec(lines[at])?.[0] ?? '';
  const indented = block
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l === '' ? l : `${indent}${l}`));
  lines.splice(at, 0, ...indented);
  return lines.join('\n');
}
