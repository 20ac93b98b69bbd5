import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { NaiveApiModule } from './naive-api.module';
import { NaiveConsumerModule } from './naive-consumer.module';
import { naiveEnv } from './naive.env';

// NAIVE_ROLE=api: HTTP + producer. NAIVE_ROLE=consumer: the @EventPattern consumer, a process of its
// own so the benchmark can SIGKILL it mid-run.
async function main(): Promise<void> {
  const env = naiveEnv();
  if (process.env.NAIVE_ROLE === 'consumer') {
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(
      NaiveConsumerModule.forRoot(env.databaseUrl),
      {
        transport: Transport.KAFKA,
        options: {
          client: {
            clientId: 'naive-consumer',
            brokers: env.brokers,
            sasl: { mechanism: 'scram-sha-256', username: env.username, password: env.password },
          },
          consumer: { groupId: env.groupId },
          subscribe: { fromBeginning: true },
        },
        logger: ['error', 'warn'],
      },
    );
    await app.listen();
    process.stdout.write('naive consumer ready\n');
    return;
  }
  const app = await NestFactory.create(NaiveApiModule.forRoot(env), { logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true }));
  await app.listen(env.port, '127.0.0.1');
}

main().catch((error: unknown) => {
  process.stderr.write(`naive baseline failed to start: ${error instanceof Error ? error.name : 'error'}\n`);
  process.exit(1);
});
