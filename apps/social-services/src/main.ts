import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { SocialServicesEnv } from './config/social-services.env';
import { SocialServicesModule } from './social-services.module';

/** Configuration errors name variables and rules, never values; any other error is logged by class only. */
const CONFIG_ERRORS = ['ConfigError', 'AuthError'];

async function main(): Promise<void> {
  const env = validateEnv(SocialServicesEnv);
  await bootstrapService(SocialServicesModule.forRoot(env), {
    name: 'social-services',
    description:
      'IFO barn och unga: intake of concern reports with deadlines, protection assessments, decisions, interventions and consents.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
}

main().catch((error: unknown) => {
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error && CONFIG_ERRORS.includes(name) ? `${name}: ${error.message}` : name;
  new Logger('social-services').error(`failed to start: ${text}`);
  process.exit(1);
});
