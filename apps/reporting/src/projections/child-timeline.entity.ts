import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const TIMELINE_KINDS = [
  'concern-report',
  'intervention-started',
  'course-enrolled',
  'course-completed',
  'school-absence-flagged',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/**
 * What happened to a child (by pseudonym), once per thing: a report, an intervention, an enrolment.
 * The two-year follow-up reads it. Keyed by (kind, ref) so every event about the same thing lands
 * on one row, at the earliest time any of them names.
 */
@Entity({ name: 'child_timeline' })
@Index('IDX_child_timeline_pseudonym', ['pseudonym'])
@Index('IDX_child_timeline_occurred_at', ['occurredAt'])
export class ChildTimelineEntry {
  @PrimaryColumn('varchar', { length: 32 })
  kind: TimelineKind;

  /** The report, intervention, enrolment or flag id. */
  @PrimaryColumn('uuid', { name: 'ref_id' })
  refId: string;

  @Column('varchar', { length: 128 })
  pseudonym: string;

  @Column('char', { length: 4 })
  municipality: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  /** Intervention or course: catalog preventionLevel universal or selective. */
  @Column('boolean')
  preventive: boolean;
}
