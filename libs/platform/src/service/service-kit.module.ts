import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { audienceTopic, consumerGroupOf, sourceTopic, type ServiceName } from '@samverkan/contracts';
import {
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  MessagingModule,
  type ConsumerSettings,
} from '@samverkan/messaging';
import type { EntitySchema } from 'typeorm';
import { ClockModule } from '../clock/clock.module';
import { DatabaseMaintenanceCheck } from '../database/database-maintenance';
import { RedactingTypeOrmLogger } from '../database/redacting-typeorm-logger';
import { HealthController } from '../health/health.controller';
import type { ServiceEnvLike } from './service-env';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own entity list type
type EntityClass = Function | EntitySchema;

export interface ServiceKitOptions {
  service: ServiceName;
  env: ServiceEnvLike;
  entities: EntityClass[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own migration list type
  migrations: Function[];
  /** Publishes through the outbox to samverkan.source.<service> (producers). */
  publishes?: boolean;
  /** Consumes samverkan.audience.<audience> through the consumer kit (default: the service's own audience). */
  consumes?: { audience?: string; settings?: Partial<ConsumerSettings> } | false;
}

/**
 * The infrastructure every domain app shares, in one import: its own database (entities plus the
 * outbox/inbox tables, migrations run at start), messaging with the service's own principal, its
 * source topic and its audience, GET /health (with a warning when the database server runs without
 * autovacuum), and the service's Clock (CLOCK_OFFSET, never in production).
 */
@Module({})
export class ServiceKitModule {
  static forService(options: ServiceKitOptions): DynamicModule {
    const { env, service } = options;
    const consumes = options.consumes === false ? undefined : (options.consumes ?? {});
    return {
      module: ServiceKitModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: env.DATABASE_URL,
          entities: [...options.entities, ...MESSAGING_ENTITIES],
          migrations: [...options.migrations, ...MESSAGING_MIGRATIONS],
          migrationsRun: true,
          synchronize: false,
          // Failed queries are logged without parameters or driver messages (they can quote personal data).
          logging: ['error', 'warn'],
          logger: new RedactingTypeOrmLogger(`${service}:database`),
          extra: { max: env.DATABASE_POOL_SIZE ?? 10, application_name: service },
        }),
        MessagingModule.forRoot({
          kafka: {
            brokers: env.KAFKA_BROKERS,
            clientId: service,
            sasl: { username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD },
          },
          outbox: options.publishes ? { defaultTopic: sourceTopic(service) } : undefined,
          consumer: consumes
            ? {
                groupId: consumerGroupOf(service),
                topics: [audienceTopic(consumes.audience ?? service)],
                ...consumes.settings,
              }
            : undefined,
        }),
        TerminusModule,
        ClockModule.forOffset(env.CLOCK_OFFSET),
      ],
      controllers: [HealthController],
      providers: [DatabaseMaintenanceCheck],
    };
  }
}
