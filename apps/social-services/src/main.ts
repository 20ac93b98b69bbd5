import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { SocialServicesEnv } from './config/social-services.env';
import { SocialServicesModule } from './social-services.module';

async function main(): Promise<void> {
  const env = validateEnv(SocialServicesEnv);
  await bootstrapService(SocialServicesModule.forRoot(env), {
    name: 'social-services',
    description:
      'IFO barn och unga: intake of concern reports with deadlines, protection assessments, decisions, interventions and consents.',
    port: env.PORT,
    host: env.HOST,
  });
}

main().catch((error: unknown) => {
  // The error's message may be a ConfigError listing variables (never values); anything else by class only.
  const text =
    error instanceof Error && error.name === 'ConfigError'
      ? error.message
      : String((error as Error)?.name ?? error);
  new Logger('social-services').error(`failed to start: ${text}`);
  process.exit(1);
});
