import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** That a session's attendance was recorded (once; the primary key rejects a second time). */
@Entity({ name: 'session_records' })
export class SessionRecord {
  @PrimaryColumn({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @PrimaryColumn({ name: 'session_number', type: 'integer' })
  sessionNumber: number;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy: string;
}

/** Present or absent, per participant holding a place, per session. */
@Entity({ name: 'attendance' })
@Index('attendance_course_idx', ['courseId', 'sessionNumber'])
export class Attendance {
  @PrimaryColumn({ name: 'enrollment_id', type: 'uuid' })
  enrollmentId: string;

  @PrimaryColumn({ name: 'session_number', type: 'integer' })
  sessionNumber: number;

  @Column({ name: 'course_id', type: 'uuid' })
  courseId: string;

  @Column({ type: 'boolean' })
  attended: boolean;
}
