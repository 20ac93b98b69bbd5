import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { DirectSql, ServiceKitModule } from '@samverkan/platform';
import { EDUCATION_ENV } from './common/education.tokens';
import { EventFactory } from './common/event-factory';
import { ConcernReportsController } from './concern-reports/concern-reports.controller';
import { ConcernReportsService } from './concern-reports/concern-reports.service';
import type { EducationEnv } from './config/education.env';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsService } from './consents/consents.service';
import { EDUCATION_ENTITIES } from './education.entities';
import { FeedbackConsumer } from './feedback/feedback.consumer';
import { IdempotencyService } from './idempotency/idempotency.service';
import { FilingMetrics } from './metrics/filing-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { EDUCATION_MIGRATIONS } from './migrations';
import { SchoolAbsenceController } from './school-absence/school-absence.controller';
import { SchoolAbsenceService } from './school-absence/school-absence.service';
import { SharedInterventionsConsumer } from './shared-interventions/shared-interventions.consumer';
import { SharedInterventionsController } from './shared-interventions/shared-interventions.controller';
import { SharedInterventionsService } from './shared-interventions/shared-interventions.service';
import { SubjectCache } from './subjects/subject-cache';

export interface EducationModuleOptions {
  /** Token verification; default: from the AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
}

/**
 * School, preschool and elevhälsa: concern reports with feedback, consents, absence flags, and the
 * interventions other agencies share under consent. Publishes to samverkan.source.education through
 * the outbox; consumes samverkan.audience.education.
 */
@Module({})
export class EducationModule {
  static forRoot(env: EducationEnv, options: EducationModuleOptions = {}): DynamicModule {
    return {
      module: EducationModule,
      imports: [
        ServiceKitModule.forService({
          service: 'education',
          env,
          entities: EDUCATION_ENTITIES,
          migrations: EDUCATION_MIGRATIONS,
          publishes: true,
          // The audience also carries what the policy lets education see but this app does not act on
          // yet (courses, other agencies' consents): acknowledged and skipped, not dead-lettered.
          consumes: { settings: { onNoHandler: 'skip' } },
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [
        ConcernReportsController,
        ConsentsController,
        SchoolAbsenceController,
        SharedInterventionsController,
        FeedbackConsumer,
        SharedInterventionsConsumer,
        MetricsController,
      ],
      providers: [
        { provide: EDUCATION_ENV, useValue: env },
        EventFactory,
        DirectSql,
        SubjectCache,
        IdempotencyService,
        ConcernReportsService,
        ConsentsService,
        SchoolAbsenceService,
        SharedInterventionsService,
        FilingMetrics,
      ],
    };
  }
}
