import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { ServiceKitModule } from '@samverkan/platform';
import { MeController } from './access/me.controller';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { CatalogController } from './catalog/catalog.controller';
import { CatalogService } from './catalog/catalog.service';
import { kafkaConnectionOf } from './common/kafka-connection';
import { OPERATIONS_ENV, OPERATIONS_KAFKA } from './common/operations.tokens';
import type { OperationsEnv } from './config/operations.env';
import { ConsumerGroupsController } from './consumer-groups/consumer-groups.controller';
import { ConsumerGroupsService } from './consumer-groups/consumer-groups.service';
import { LagHistoryStore } from './consumer-groups/lag-history.store';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { ServicesHealthController } from './health/services-health.controller';
import { ServicesHealthService } from './health/services-health.service';
import { MetricsController } from './metrics/metrics.controller';
import { OperationsMetrics } from './metrics/operations-metrics';
import { OPERATIONS_MIGRATIONS } from './migrations';
import { OPERATIONS_ENTITIES } from './operations.entities';
import { OperationsWebModule } from './web/operations-web.module';
import { WebhookSubscribersController } from './webhooks/webhook-subscribers.controller';
import { WebhookSubscribersService } from './webhooks/webhook-subscribers.service';

export interface OperationsModuleOptions {
  /** Token verification; default: from AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
}

/**
 * The operations console: consumer groups with lag and Burrow status, dead letters with replay and
 * discard, an audit log, every app's health, the event catalog and Prometheus metrics. It neither
 * publishes nor consumes events; it watches and, on an operator's word, replays.
 */
@Module({})
export class OperationsModule {
  static forRoot(env: OperationsEnv, options: OperationsModuleOptions = {}): DynamicModule {
    return {
      module: OperationsModule,
      imports: [
        ServiceKitModule.forService({
          service: 'operations',
          env,
          entities: OPERATIONS_ENTITIES,
          migrations: OPERATIONS_MIGRATIONS,
          publishes: false,
          consumes: false,
        }),
        AuthModule.forRoot({ config: options.auth }),
        OperationsWebModule,
      ],
      controllers: [
        MeController,
        ConsumerGroupsController,
        DeadLettersController,
        AuditController,
        ServicesHealthController,
        CatalogController,
        MetricsController,
        WebhookSubscribersController,
      ],
      providers: [
        { provide: OPERATIONS_ENV, useValue: env },
        { provide: OPERATIONS_KAFKA, useValue: kafkaConnectionOf(env) },
        ConsumerGroupsService,
        LagHistoryStore,
        DeadLettersService,
        AuditService,
        ServicesHealthService,
        CatalogService,
        OperationsMetrics,
        WebhookSubscribersService,
      ],
    };
  }
}
