import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Repeated or long absence noticed by a school (skollagen 7 kap. 19 a §). */
@Entity({ name: 'school_absence_flags' })
@Index('idx_school_absence_flags_unit', ['schoolUnitCode'])
export class SchoolAbsenceFlag {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'child_subject', type: 'uuid' })
  childSubject: string;

  @Column({ name: 'child_personnummer', type: 'varchar', length: 12 })
  childPersonnummer: string;

  @Column({ name: 'child_name', type: 'varchar', length: 200, nullable: true })
  childName: string | null;

  @Column({ name: 'child_protected_identity', type: 'boolean', default: false })
  childProtectedIdentity: boolean;

  @Column({ name: 'school_unit_code', type: 'varchar', length: 8 })
  schoolUnitCode: string;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo: string;

  @Column({ name: 'absence_rate', type: 'double precision' })
  absenceRate: number;

  @Column({ name: 'unexcused_rate', type: 'double precision', nullable: true })
  unexcusedRate: number | null;

  @Column({ name: 'school_year', type: 'smallint', nullable: true })
  schoolYear: number | null;

  @Column({ name: 'flagged_at', type: 'timestamptz' })
  flaggedAt: Date;

  @Column({ name: 'flagged_by', type: 'varchar', length: 255 })
  flaggedBy: string;
}
