import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { IntakeMetrics } from '../metrics/intake-metrics';
import { InvestigationsService } from './investigations.service';

export const INVESTIGATIONS_OVERDUE_METRIC = 'samverkan_investigations_overdue';

/**
 * Open investigations past the deadline in force, on the app's registry (served by /metrics).
 * Computed from the database at scrape time like the intake gauge; no labels, no personal data.
 */
@Injectable()
export class InvestigationMetrics {
  constructor(
    @Inject(IntakeMetrics) metrics: IntakeMetrics,
    @Inject(InvestigationsService) investigations: InvestigationsService,
  ) {
    new Gauge({
      name: INVESTIGATIONS_OVERDUE_METRIC,
      help: 'Open child investigations past their deadline (four months, or as extended)',
      registers: [metrics.registry],
      async collect() {
        this.set(await investigations.overdueCount());
      },
    });
  }
}
