import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { validateEnv } from '@samverkan/config';
import { bootstrapService } from '@samverkan/platform';
import { EducationEnv } from './config/education.env';
import { EducationModule } from './education.module';

async function main(): Promise<void> {
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
}

main().catch((error: unknown) => {
  // A ConfigError lists variables (never values); anything else is logged by class only.
  const text =
    error instanceof Error && error.name === 'ConfigError'
      ? error.message
      : error instanceof Error
        ? error.name
        : 'unknown error';
  new Logger('education').error(`failed to start: ${text}`);
  process.exit(1);
});
