import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { LeisureEnv } from './config/leisure.env';
import { LeisureModule } from './leisure.module';

/** Configuration errors name variables and rules, never values; any other error is logged by class only. */
const CONFIG_ERRORS = ['ConfigError', 'AuthError'];

async function main(): Promise<void> {
  const env = validateEnv(LeisureEnv);
  await bootstrapService(LeisureModule.forRoot(env), {
    name: 'leisure',
    description:
      'Kultur och fritid: catalog programmes, courses and the place exchange, enrolment with waitlists (self-registration or referral), attendance and completion.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
}

main().catch((error: unknown) => {
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error && CONFIG_ERRORS.includes(name) ? `${name}: ${error.message}` : name;
  new Logger('leisure').error(`failed to start: ${text}`);
  process.exit(1);
});
