import { createMetricsController } from '@samverkan/platform';
import { FilingMetrics } from './filing-metrics';

/** GET /metrics: the concern-report group commit (FilingMetrics). */
export const MetricsController = createMetricsController(
  FilingMetrics,
  'Prometheus metrics (counts and times only, no personal data)',
);
