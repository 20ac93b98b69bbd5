import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { OperationsEnv } from './config/operations.env';
import { OperationsModule } from './operations.module';

/** Configuration errors name variables and rules, never values; any other error is logged by class only. */
const CONFIG_ERRORS = ['ConfigError', 'AuthError'];

async function main(): Promise<void> {
  const env = validateEnv(OperationsEnv);
  await bootstrapService(OperationsModule.forRoot(env), {
    name: 'operations',
    description:
      'Operations console: consumer groups, lag and status, dead letters with replay, audit log, service health, event catalog.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
}

main().catch((error: unknown) => {
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error && CONFIG_ERRORS.includes(name) ? `${name}: ${error.message}` : name;
  new Logger('operations').error(`failed to start: ${text}`);
  process.exit(1);
});
