import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { DirectSql, ServiceKitModule } from '@samverkan/platform';
import { EventFactory } from './common/event-factory';
import { SOCIAL_SERVICES_ENV } from './common/social-services.tokens';
import { ConcernReportsController } from './concern-reports/concern-reports.controller';
import { ConcernReportsService } from './concern-reports/concern-reports.service';
import type { SocialServicesEnv } from './config/social-services.env';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsService } from './consents/consents.service';
import { deadlineOptionsFrom } from './intake/intake-deadlines';
import { IntakeConsumer } from './intake/intake.consumer';
import { IntakeController } from './intake/intake.controller';
import { DEADLINE_OPTIONS, IntakeService } from './intake/intake.service';
import { InvestigationMetrics } from './investigations/investigation-metrics';
import { InvestigationsController } from './investigations/investigations.controller';
import { InvestigationsService } from './investigations/investigations.service';
import { InterventionsController } from './interventions/interventions.controller';
import { InterventionsService } from './interventions/interventions.service';
import { IntakeMetrics } from './metrics/intake-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { SOCIAL_SERVICES_MIGRATIONS } from './migrations';
import { SOCIAL_SERVICES_ENTITIES } from './social-services.entities';

export interface SocialServicesModuleOptions {
  /** Token verification; default: from AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
}

/**
 * IFO barn och unga: the intake of concern reports with their deadlines, protection assessments and
 * decisions, investigations with their four-month deadline, interventions and consents. Publishes
 * to samverkan.source.social-services through the outbox; consumes samverkan.audience.social-services.
 */
@Module({})
export class SocialServicesModule {
  static forRoot(env: SocialServicesEnv, options: SocialServicesModuleOptions = {}): DynamicModule {
    return {
      module: SocialServicesModule,
      imports: [
        ServiceKitModule.forService({
          service: 'social-services',
          env,
          entities: SOCIAL_SERVICES_ENTITIES,
          migrations: SOCIAL_SERVICES_MIGRATIONS,
          publishes: true,
          // The audience also carries what the policy lets social services see but this app does not
          // act on yet (consents and interventions of other agencies, courses): skipped, not dead-lettered.
          consumes: { settings: { onNoHandler: 'skip' } },
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [
        IntakeConsumer,
        IntakeController,
        ConcernReportsController,
        InvestigationsController,
        InterventionsController,
        ConsentsController,
        MetricsController,
      ],
      providers: [
        { provide: SOCIAL_SERVICES_ENV, useValue: env },
        { provide: DEADLINE_OPTIONS, useValue: deadlineOptionsFrom(env) },
        EventFactory,
        DirectSql,
        IntakeService,
        ConcernReportsService,
        InvestigationsService,
        InterventionsService,
        ConsentsService,
        IntakeMetrics,
        InvestigationMetrics,
      ],
    };
  }
}
