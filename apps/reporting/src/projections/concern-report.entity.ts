import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One concern report as reporting sees it: pseudonymous, minimized, no free text. Every column is
 * filled by whichever event knows it (filed, protection-assessed, decided), in any order.
 */
@Entity({ name: 'concern_reports' })
@Index('IDX_concern_reports_received_on', ['receivedOn'])
export class ConcernReportProjection {
  @PrimaryColumn('uuid', { name: 'report_id' })
  reportId: string;

  /** Keyed HMAC of the child (the event subject), never reversible here. */
  @Column('varchar', { length: 128 })
  pseudonym: string;

  @Column('char', { length: 4 })
  municipality: string;

  /** District of the social-services unit that assessed or decided, when it has one. */
  @Column('varchar', { length: 64, nullable: true })
  district: string | null;

  /** The reporting unit (a school unit code) for reports filed through the hub. */
  @Column('varchar', { name: 'unit_code', length: 64, nullable: true })
  unitCode: string | null;

  /** The reporter's role (teacher, school nurse, ...): the reporter kind. */
  @Column('varchar', { name: 'reporter_kind', length: 32, nullable: true })
  reporterKind: string | null;

  /** Concern category codes, comma-separated (codes contain no commas). */
  @Column('text', { nullable: true })
  categories: string | null;

  @Column('date', { name: 'filed_on', nullable: true })
  filedOn: string | null;

  /** Local date (Europe/Stockholm) social services received it. */
  @Column('date', { name: 'received_on', nullable: true })
  receivedOn: string | null;

  @Column('boolean', { name: 'assessed_same_day', nullable: true })
  assessedSameDay: boolean | null;

  /** Assessed by the legal deadline (same day, next working day when it arrived late). */
  @Column('boolean', { name: 'assessed_in_time', nullable: true })
  assessedInTime: boolean | null;

  @Column('date', { name: 'decided_on', nullable: true })
  decidedOn: string | null;

  @Column('boolean', { name: 'decided_in_time', nullable: true })
  decidedInTime: boolean | null;

  @Column('integer', { name: 'days_to_decision', nullable: true })
  daysToDecision: number | null;

  @Column('varchar', { length: 40, nullable: true })
  outcome: string | null;

  /** The report came from a reporter in the hub (filed event, or a decision naming the reporter's unit). */
  @Column('boolean', { name: 'has_reporter', nullable: true })
  hasReporter: boolean | null;

  /** The decision went back to the reporter (decided with a reporter unit: the router delivers it). */
  @Column('boolean', { name: 'feedback_given', nullable: true })
  feedbackGiven: boolean | null;
}
