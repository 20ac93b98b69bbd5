import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The naive baseline's report row: what the API saves before it emits. */
@Entity({ name: 'naive_reports' })
export class NaiveReport {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 12 })
  personnummer: string;

  @Column({ name: 'child_name', type: 'varchar', length: 200 })
  childName: string;

  @Column({ name: 'school_unit_code', type: 'varchar', length: 8 })
  schoolUnitCode: string;

  @Column({ name: 'reporter_name', type: 'varchar', length: 200 })
  reporterName: string;

  @Column({ type: 'text', array: true })
  categories: string[];

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'immediate_danger', type: 'boolean' })
  immediateDanger: boolean;

  @CreateDateColumn({ name: 'filed_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  filedAt: Date;
}

/**
 * The consumer's effect: one row per handled message, deliberately without a unique key (the naive
 * consumer has no inbox), so a redelivery after a crash shows up as a second row.
 */
@Entity({ name: 'naive_effects' })
export class NaiveEffect {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  receivedAt: Date;
}

export const NAIVE_ENTITIES = [NaiveReport, NaiveEffect];
