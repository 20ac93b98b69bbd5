import type { CourseSummary, InterventionBasis } from '@samverkan/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PlannedSession } from './course-rules';

export const COURSE_STATUSES = ['scheduled', 'completed'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

/**
 * A course: a run of a catalog programme by one unit. The counters are kept under the row lock that
 * every enrolment and withdrawal takes, so two requests for the last place cannot both get it.
 */
@Entity({ name: 'courses' })
@Index('courses_exchange_idx', ['status', 'catalogCode', 'district'])
export class Course {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'catalog_code', type: 'text' })
  catalogCode: string;

  @Column({ name: 'catalog_version', type: 'integer' })
  catalogVersion: number;

  @Column({ type: 'text' })
  basis: InterventionBasis;

  @Column({ name: 'organising_agency', type: 'text' })
  organisingAgency: string;

  @Column({ name: 'organising_unit', type: 'text' })
  organisingUnit: string;

  @Column({ type: 'text' })
  municipality: string;

  @Column({ type: 'text', nullable: true })
  district: string | null;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'jsonb' })
  sessions: PlannedSession[];

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ type: 'text' })
  language: string;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ name: 'target_age_min', type: 'smallint' })
  targetAgeMin: number;

  @Column({ name: 'target_age_max', type: 'smallint' })
  targetAgeMax: number;

  @Column({ type: 'text', default: 'scheduled' })
  status: CourseStatus;

  /** Participants holding a place now. */
  @Column({ name: 'enrolled_count', type: 'integer', default: 0 })
  enrolledCount: number;

  @Column({ name: 'waitlist_count', type: 'integer', default: 0 })
  waitlistCount: number;

  /** Sessions whose attendance is recorded. */
  @Column({ name: 'sessions_recorded', type: 'integer', default: 0 })
  sessionsRecorded: number;

  /** Free places last announced with course.places-available (a new announcement needs more). */
  @Column({ name: 'places_announced', type: 'integer', default: 0 })
  placesAnnounced: number;

  @Column({ type: 'jsonb', nullable: true })
  summary: CourseSummary | null;

  @Column({ name: 'scheduled_by', type: 'text' })
  scheduledBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
