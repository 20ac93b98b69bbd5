import { randomUUID } from 'node:crypto';
import { createEvent, encodeCloudEvent, type CloudEvent, type EventMap } from '@samverkan/contracts';

export type BenchEvent = CloudEvent<
  'samverkan.concern-report.filed.v1',
  EventMap['samverkan.concern-report.filed.v1']
>;

/** Distinct subjects (children): enough keys to spread over every partition and outbox shard. */
export const SUBJECTS = 1_000;
export const TARGET_VALUE_BYTES = 1_024;

/**
 * A valid concern report whose JSON `data` is padded to 1 KiB. One template goes through createEvent
 * (full validation); the rest are cheap copies with a fresh id, report id and subject, so the bench
 * does not measure event construction.
 */
export class EventFactory {
  private readonly template: BenchEvent;
  private seq = 0;

  constructor() {
    const base = createEvent('samverkan.concern-report.filed.v1', {
      source: '/samverkan/bench',
      subject: 'bench-subject-0',
      municipality: '0781',
      data: {
        reportId: randomUUID(),
        child: { personnummer: '191212121212', name: 'Bench Child' },
        reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
        reporter: { role: 'teacher', name: 'Bench Reporter', contact: { email: 'bench@school.example' } },
        categories: ['neglect'],
        description: 'x',
        immediateDanger: false,
        filedAt: '2026-11-23T09:15:00Z',
      },
    });
    const size = Buffer.byteLength(encodeCloudEvent(base).value);
    const padded = { ...base.data, description: 'x'.repeat(1 + TARGET_VALUE_BYTES - size) };
    this.template = createEvent('samverkan.concern-report.filed.v1', {
      source: base.source,
      subject: base.subject,
      municipality: base.municipality,
      data: padded,
    });
  }

  /** Bytes of the JSON value of every event (1 KiB). */
  get valueBytes(): number {
    return Buffer.byteLength(encodeCloudEvent(this.template).value);
  }

  next(): BenchEvent {
    const n = this.seq++;
    return {
      ...this.template,
      id: randomUUID(),
      subject: `bench-subject-${n % SUBJECTS}`,
      time: new Date().toISOString(),
      data: { ...this.template.data, reportId: randomUUID() },
    };
  }
}
