import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEnv } from '@samverkan/config';
import { createKafkaClient, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { RedactingTypeOrmLogger } from '@samverkan/platform';
import { DataSource } from 'typeorm';
import { ReportingEnv } from '../config/reporting.env';
import { REPORTING_MIGRATIONS } from '../migrations';
import { REPORTING_ENTITIES } from '../reporting.entities';
import { progressPrinter } from './progress-line';
import { rebuildProjections } from './rebuild.service';

/**
 * `npm run reporting:rebuild`: resets reporting's projections by replaying samverkan.audience.reporting
 * from the beginning (see rebuild.service.ts), while the reporting app may keep running.
 *
 * Configuration is the app's own (KAFKA_*, DATABASE_URL). For local use, when KAFKA_BROKERS is unset
 * and the local stack is up, the reporting principal and database come from .local/stack.json.
 */
async function main(): Promise<void> {
  const env = validateEnv(ReportingEnv, { ...localStackEnv(), ...process.env });
  const dataSource = new DataSource({
    type: 'postgres',
    url: env.DATABASE_URL,
    entities: [...REPORTING_ENTITIES, ...MESSAGING_ENTITIES],
    migrations: [...REPORTING_MIGRATIONS, ...MESSAGING_MIGRATIONS],
    migrationsRun: true,
    logging: ['error', 'warn'],
    logger: new RedactingTypeOrmLogger('reporting-rebuild:database'),
    extra: { max: 12, application_name: 'reporting-rebuild' },
  });
  await dataSource.initialize();
  try {
    const kafka = createKafkaClient({
      brokers: env.KAFKA_BROKERS,
      clientId: 'reporting-rebuild',
      sasl: { username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD },
    });
    const summary = await rebuildProjections({ kafka, dataSource, onProgress: progressPrinter() });
    const secs = summary.replayMs / 1000;
    process.stdout.write(
      `\nrebuilt under group ${summary.groupId}: ${summary.events} events (${summary.projected} projected, ` +
        `${summary.skipped} skipped) in ${secs.toFixed(1)} s, ` +
        `${Math.round(summary.events / Math.max(secs, 0.001))} events/s; switch-over ${summary.switchOverMs} ms\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}

function localStackEnv(): Record<string, string> {
  const file = join(process.cwd(), '.local', 'stack.json');
  if (process.env.KAFKA_BROKERS || !existsSync(file)) return {};
  const stack = JSON.parse(readFileSync(file, 'utf8')) as {
    kafka: { brokers: string[]; principals: Record<string, { username: string; password: string }> };
    postgres: { databases: Record<string, { url: string }> };
  };
  const principal = stack.kafka.principals.reporting;
  const database = stack.postgres.databases.reporting;
  if (!principal || !database) return {};
  return {
    KAFKA_BROKERS: stack.kafka.brokers.join(','),
    KAFKA_USERNAME: principal.username,
    KAFKA_PASSWORD: principal.password,
    DATABASE_URL: database.url,
  };
}

main().catch((error: unknown) => {
  const text =
    error instanceof Error && error.name === 'ConfigError'
      ? error.message
      : error instanceof Error
        ? `${error.name}${'code' in error ? ` (${String((error as { code: unknown }).code)})` : ''}`
        : 'unknown error';
  process.stderr.write(`\nreporting rebuild failed: ${text}\n`);
  process.exit(1);
});
