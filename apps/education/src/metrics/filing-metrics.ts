import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const FILING_QUEUED_METRIC = 'samverkan_concern_report_filing_queued';
export const FILING_STATEMENTS_METRIC = 'samverkan_concern_report_filing_statements_total';
export const FILING_BATCH_METRIC = 'samverkan_concern_report_filing_batch_reports';
export const FILING_SECONDS_METRIC = 'samverkan_concern_report_filing_statement_seconds';

/**
 * The concern-report group commit, for operations: how many reports wait for a statement, how many
 * each statement carries and how long it takes. A queue that stays long while batches are full
 * means CONCERN_REPORT_WRITERS (or the database) is the limit. Counts and times only.
 *
 * The app's own registry (not prom-client's global one, so two instances in one process, as in
 * tests, do not collide).
 */
@Injectable()
export class FilingMetrics {
  readonly registry = new Registry();
  private queueLength: () => number = () => 0;
  private readonly statements: Counter<'outcome'>;
  private readonly batch: Histogram;
  private readonly seconds: Histogram;

  constructor() {
    const queued = (): number => this.queueLength();
    new Gauge({
      name: FILING_QUEUED_METRIC,
      help: 'Concern reports waiting for a filing statement (all CONCERN_REPORT_WRITERS busy)',
      registers: [this.registry],
      collect() {
        this.set(queued());
      },
    });
    this.statements = new Counter({
      name: FILING_STATEMENTS_METRIC,
      help: 'Filing statements run, by outcome (a failed statement of several reports is redone report by report)',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.batch = new Histogram({
      name: FILING_BATCH_METRIC,
      help: 'Concern reports written by one filing statement',
      buckets: [1, 2, 4, 8, 16, 32, 64, 100],
      registers: [this.registry],
    });
    this.seconds = new Histogram({
      name: FILING_SECONDS_METRIC,
      help: 'Time of one filing statement, from taking a connection to its answer',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.statements.inc({ outcome: 'ok' }, 0);
    this.statements.inc({ outcome: 'failed' }, 0);
  }

  /** The filing service says where its queue is. */
  trackQueue(length: () => number): void {
    this.queueLength = length;
  }

  statement(observed: { items: number; seconds: number; failed: boolean }): void {
    this.statements.inc({ outcome: observed.failed ? 'failed' : 'ok' });
    this.batch.observe(observed.items);
    this.seconds.observe(observed.seconds);
  }
}
