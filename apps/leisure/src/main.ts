import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { LeisureEnv } from './config/leisure.env';
import { LeisureModule } from './leisure.module';

runService('leisure', async () => {
  const env = validateEnv(LeisureEnv);
  await bootstrapService(LeisureModule.forRoot(env), {
    name: 'leisure',
    description:
      'Kultur och fritid: catalog programmes, courses and the place exchange, enrolment with waitlists (self-registration or referral), attendance and completion.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
});
