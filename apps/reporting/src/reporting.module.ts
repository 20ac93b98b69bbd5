import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { consumerGroupOf, dlqTopic } from '@samverkan/contracts';
import { ServiceKitModule } from '@samverkan/platform';
import { REPORTING_ENV } from './common/reporting.tokens';
import type { ReportingEnv } from './config/reporting.env';
import { REPORTING_MIGRATIONS } from './migrations';
import { ProjectionsConsumer } from './projections/projections.consumer';
import { REPORTING_ENTITIES } from './reporting.entities';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsService } from './statistics/statistics.service';

export interface ReportingModuleOptions {
  /** Token verification; default: from the AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
  /**
   * Consumer group of the live projections; default `reporting`. Tests give each instance a group
   * of its own under `reporting.rebuild.` (the only other groups the reporting principal may join),
   * so a reporting app running on the same stack cannot take partitions from it.
   */
  consumerGroup?: string;
}

/**
 * Reporting: projections of samverkan.audience.reporting (pseudonymized, minimized events) into its
 * own database, and statistics over them with small-count protection. Publishes nothing.
 */
@Module({})
export class ReportingModule {
  static forRoot(env: ReportingEnv, options: ReportingModuleOptions = {}): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        ServiceKitModule.forService({
          service: 'reporting',
          env,
          entities: REPORTING_ENTITIES,
          migrations: REPORTING_MIGRATIONS,
          // Consents, attendance and places-available reach reporting but feed no statistic yet.
          consumes: {
            settings: {
              onNoHandler: 'skip',
              ...(options.consumerGroup
                ? { groupId: options.consumerGroup, deadLetterTopic: dlqTopic(consumerGroupOf('reporting')) }
                : {}),
            },
          },
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [StatisticsController, ProjectionsConsumer],
      providers: [{ provide: REPORTING_ENV, useValue: env }, StatisticsService],
    };
  }
}
