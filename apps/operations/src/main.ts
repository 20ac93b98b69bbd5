import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { OperationsEnv } from './config/operations.env';
import { OperationsModule } from './operations.module';

runService('operations', async () => {
  const env = validateEnv(OperationsEnv);
  await bootstrapService(OperationsModule.forRoot(env), {
    name: 'operations',
    description:
      'Operations console: consumer groups, lag and status, dead letters with replay, audit log, service health, event catalog.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
});
