import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { SocialServicesEnv } from './config/social-services.env';
import { SocialServicesModule } from './social-services.module';

runService('social-services', async () => {
  const env = validateEnv(SocialServicesEnv);
  await bootstrapService(SocialServicesModule.forRoot(env), {
    name: 'social-services',
    description:
      'IFO barn och unga: intake of concern reports with deadlines, protection assessments, decisions, interventions and consents.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
});
