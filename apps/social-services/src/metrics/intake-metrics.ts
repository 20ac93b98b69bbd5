import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { OVERDUE_KINDS } from '../intake/intake-deadlines';
import { IntakeService } from '../intake/intake.service';

export const INTAKE_OVERDUE_METRIC = 'samverkan_intake_overdue';

/**
 * The app's own registry (not prom-client's global one, so two instances in one process, as in
 * tests, do not collide). The overdue gauge is computed from the database at scrape time, so every
 * instance reports the same truth and nothing drifts between scrapes. Labels carry kinds only.
 */
@Injectable()
export class IntakeMetrics {
  readonly registry = new Registry();

  constructor(@Inject(IntakeService) intake: IntakeService) {
    new Gauge({
      name: INTAKE_OVERDUE_METRIC,
      help: 'Concern reports whose protection assessment or decision is past due and not done',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        const counts = await intake.overdueCounts();
        for (const kind of OVERDUE_KINDS) this.set({ kind }, counts[kind]);
      },
    });
  }
}
