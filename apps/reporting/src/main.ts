import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { ReportingEnv } from './config/reporting.env';
import { ReportingModule } from './reporting.module';

async function main(): Promise<void> {
  const env = validateEnv(ReportingEnv);
  await bootstrapService(ReportingModule.forRoot(env), {
    name: 'reporting',
    description:
      'Statistics and the two-year follow-up from pseudonymized events, with small-count protection ' +
      '(counts below REPORTING_MIN_CELL_SIZE are suppressed). JSON or CSV.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
}

main().catch((error: unknown) => {
  // A ConfigError lists variables (never values); anything else is logged by class only.
  const text =
    error instanceof Error && error.name === 'ConfigError'
      ? error.message
      : error instanceof Error
        ? error.name
        : 'unknown error';
  new Logger('reporting').error(`failed to start: ${text}`);
  process.exit(1);
});
