import { validateEnv } from '@samverkan/config';
import { bootstrapService, runService } from '@samverkan/platform';
import { RouterEnv } from './config/router.env';
import { RouterModule } from './router.module';

// Boot errors (ConfigError, RouterKeyError) name variables and rules, never values.
runService(
  'router',
  async () => {
    const env = validateEnv(RouterEnv);
    const module = RouterModule.forRoot(env);
    // The key now lives only inside RouterKeys: keep it out of the environment child processes and
    // diagnostics would see.
    delete process.env.ROUTER_PSEUDONYM_KEY;
    env.ROUTER_PSEUDONYM_KEY = undefined;
    await bootstrapService(module, {
      name: 'router',
      description:
        'Routes every source event to the audiences the sharing policy allows, and answers "who received what about this child" from the disclosure log.',
      port: env.PORT,
      logLevel: env.LOG_LEVEL,
      host: env.HOST,
    });
  },
  { readableErrors: ['RouterKeyError'] },
);
