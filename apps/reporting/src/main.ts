import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { ReportingEnv } from './config/reporting.env';
import { ReportingModule } from './reporting.module';

runService('reporting', async () => {
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
});
