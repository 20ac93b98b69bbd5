import { createMetricsController } from '@samverkan/platform';
import { IntakeMetrics } from './intake-metrics';

/** GET /metrics: the intake's and the investigations' overdue gauges (IntakeMetrics' registry). */
export const MetricsController = createMetricsController(
  IntakeMetrics,
  'Prometheus metrics (counts only, no personal data)',
);
