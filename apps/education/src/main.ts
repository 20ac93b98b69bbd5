import 'reflect-metadata';
import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { EducationEnv } from './config/education.env';
import { EducationModule } from './education.module';

runService('education', async () => {
  const env = validateEnv(EducationEnv);
  await bootstrapService(EducationModule.forRoot(env), {
    name: 'education',
    description:
      'School, preschool and elevhälsa: concern reports and their feedback, consents, school absence flags, ' +
      'and interventions shared by other agencies under consent.',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
  });
});
