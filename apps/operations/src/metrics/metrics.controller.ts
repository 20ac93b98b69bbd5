import { createMetricsController } from '@samverkan/platform';
import { OperationsMetrics } from './operations-metrics';

/** GET /metrics: consumer lag and status, dead-letter depth, outbox backlog. */
export const MetricsController = createMetricsController(
  OperationsMetrics,
  'Prometheus metrics: lag, status, DLQ depth, outbox backlog (no personal data)',
);
