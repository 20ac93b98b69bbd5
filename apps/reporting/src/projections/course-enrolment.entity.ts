import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One participant's place or waitlist entry on a course, as timestamps of what happened to it. */
@Entity({ name: 'course_enrolments' })
@Index('IDX_course_enrolments_course_id', ['courseId'])
export class CourseEnrolmentProjection {
  @PrimaryColumn('uuid', { name: 'enrollment_id' })
  enrollmentId: string;

  @Column('uuid', { name: 'course_id' })
  courseId: string;

  @Column('varchar', { length: 128 })
  pseudonym: string;

  @Column('timestamptz', { name: 'enrolled_at', nullable: true })
  enrolledAt: Date | null;

  @Column('timestamptz', { name: 'waitlisted_at', nullable: true })
  waitlistedAt: Date | null;

  @Column('timestamptz', { name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;

  @Column('boolean', { name: 'withdrawn_from_waitlist', nullable: true })
  withdrawnFromWaitlist: boolean | null;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
