import {
  Global,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  Inject,
} from '@nestjs/common';
import { Clock, clockFor, describeOffset } from './clock';

/**
 * Provides the service's Clock to every module of the app. A simulated clock is announced at boot, at
 * warning level, so nobody mistakes a demo's dates for real ones in the logs.
 */
@Global()
@Module({})
export class ClockModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Clock');

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  static forOffset(offsetMs: number | undefined): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useValue: clockFor(offsetMs) }],
      exports: [Clock],
    };
  }

  onApplicationBootstrap(): void {
    if (this.clock.offsetMs === 0) return;
    const banner = `SIMULATED CLOCK: this instance runs ${describeOffset(this.clock.offsetMs)} (CLOCK_OFFSET); the times it records and the deadlines it judges are simulated. Never in production.`;
    this.logger.warn(banner);
  }
}
