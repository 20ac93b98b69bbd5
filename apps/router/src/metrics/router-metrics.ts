import { Injectable } from '@nestjs/common';
import type { Decision } from '@samverkan/contracts';
import { Counter, Registry } from 'prom-client';

/**
 * The router's Prometheus metrics, on a registry of its own (tests create several apps per process).
 * Labels are event types, audiences, outcomes and withholding reasons: never anything about a child.
 */
@Injectable()
export class RouterMetrics {
  readonly registry = new Registry();

  readonly decisions = new Counter({
    name: 'samverkan_router_decisions_total',
    help: 'Routing decisions per event type, audience and outcome (withheld with its reason)',
    labelNames: ['event_type', 'audience', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'samverkan_router_transform_failures_total',
    help: 'Events the routing step rejected as unroutable (sent to the dead-letter topic)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  countDecisions(decisions: readonly Decision[]): void {
    for (const d of decisions) {
      this.decisions.inc({
        event_type: d.eventType,
        audience: d.audience,
        outcome: d.outcome,
        reason: d.outcome === 'withheld' ? d.reason : '',
      });
    }
  }
}
