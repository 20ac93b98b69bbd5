import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An intervention (catalog code, basis, unit, dates); started and ended events both fill it. */
@Entity({ name: 'interventions' })
@Index('IDX_interventions_catalog_code', ['catalogCode'])
export class InterventionProjection {
  @PrimaryColumn('uuid', { name: 'intervention_id' })
  interventionId: string;

  @Column('varchar', { length: 128 })
  pseudonym: string;

  @Column('varchar', { name: 'catalog_code', length: 64 })
  catalogCode: string;

  @Column('varchar', { length: 40 })
  basis: string;

  /** From the catalog: universal, selective or indicated. */
  @Column('varchar', { name: 'prevention_level', length: 16, nullable: true })
  preventionLevel: string | null;

  @Column('varchar', { length: 32 })
  agency: string;

  @Column('varchar', { name: 'unit_code', length: 64 })
  unitCode: string;

  @Column('char', { length: 4 })
  municipality: string;

  @Column('varchar', { length: 64, nullable: true })
  district: string | null;

  @Column('date', { name: 'started_on' })
  startedOn: string;

  @Column('date', { name: 'ended_on', nullable: true })
  endedOn: string | null;

  @Column('varchar', { name: 'end_reason', length: 32, nullable: true })
  endReason: string | null;

  /** The child's school year when it started (Mobila teamet statistics). */
  @Column('smallint', { name: 'school_year', nullable: true })
  schoolYear: number | null;
}
