import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A course (parent programme or child group): where, how big, and its closing summary. */
@Entity({ name: 'courses' })
export class CourseProjection {
  @PrimaryColumn('uuid', { name: 'course_id' })
  courseId: string;

  @Column('varchar', { name: 'catalog_code', length: 64 })
  catalogCode: string;

  @Column('varchar', { name: 'unit_code', length: 64, nullable: true })
  unitCode: string | null;

  @Column('char', { length: 4, nullable: true })
  municipality: string | null;

  @Column('varchar', { length: 64, nullable: true })
  district: string | null;

  @Column('integer', { nullable: true })
  capacity: number | null;

  /** Date of the first session; the period filter applies to it. */
  @Column('date', { name: 'starts_on', nullable: true })
  startsOn: string | null;

  @Column('date', { name: 'completed_on', nullable: true })
  completedOn: string | null;

  /** course.completed's summary (authoritative once the course is closed). */
  @Column('integer', { name: 'summary_enrolled', nullable: true })
  summaryEnrolled: number | null;

  @Column('integer', { name: 'summary_completed', nullable: true })
  summaryCompleted: number | null;

  @Column('integer', { name: 'summary_withdrawn', nullable: true })
  summaryWithdrawn: number | null;

  @Column('integer', { name: 'summary_waitlisted', nullable: true })
  summaryWaitlisted: number | null;
}
