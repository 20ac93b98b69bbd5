import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { ServiceKitModule, Clock } from '@samverkan/platform';
import { AttendanceController } from './attendance/attendance.controller';
import { AttendanceService } from './attendance/attendance.service';
import { EventFactory } from './common/event-factory';
import { LEISURE_ENV } from './common/leisure.tokens';
import type { LeisureEnv } from './config/leisure.env';
import { CoursesController } from './courses/courses.controller';
import { CoursesService } from './courses/courses.service';
import { EnrollmentsController } from './enrollments/enrollments.controller';
import { EnrollmentsService } from './enrollments/enrollments.service';
import { LEISURE_ENTITIES } from './leisure.entities';
import { LEISURE_MIGRATIONS } from './migrations';
import { PlacesAvailableService } from './places/places-available.service';
import { ProgrammesController } from './programmes/programmes.controller';
import { ReferralsConsumer } from './referrals/referrals.consumer';

export interface LeisureModuleOptions {
  /** Token verification; default: from the AUTH_* variables (see @samverkan/auth). */
  auth?: AuthConfig;
  /** The time the app acts at; default the system clock (tests move their own forward). */
  clock?: Clock;
}

/**
 * Kultur och fritid, and anyone who runs parent courses and child groups: catalog programmes,
 * courses and the place exchange, enrolment with waitlists, attendance and completion. Publishes to
 * samverkan.source.leisure through the outbox; consumes referrals from samverkan.audience.leisure.
 */
@Module({})
export class LeisureModule {
  static forRoot(env: LeisureEnv, options: LeisureModuleOptions = {}): DynamicModule {
    return {
      module: LeisureModule,
      imports: [
        ServiceKitModule.forService({
          service: 'leisure',
          env,
          entities: LEISURE_ENTITIES,
          migrations: LEISURE_MIGRATIONS,
          publishes: true,
          // The audience also carries what the policy lets leisure see but it does not act on
          // (consents naming leisure, decisions on its own reports): skipped, not dead-lettered.
          consumes: { settings: { onNoHandler: 'skip' } },
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [
        ProgrammesController,
        CoursesController,
        EnrollmentsController,
        AttendanceController,
        ReferralsConsumer,
      ],
      providers: [
        { provide: LEISURE_ENV, useValue: env },
        // The service kit provides the Clock (system time, or CLOCK_OFFSET); a test may bring its own.
        ...(options.clock ? [{ provide: Clock, useValue: options.clock }] : []),
        EventFactory,
        CoursesService,
        EnrollmentsService,
        AttendanceService,
        PlacesAvailableService,
      ],
    };
  }
}
