import { Attendance, SessionRecord } from './attendance/attendance.entity';
import { Course } from './courses/course.entity';
import { Enrollment } from './enrollments/enrollment.entity';
import { Referral } from './referrals/referral.entity';
import { ParticipantSubject } from './subjects/participant-subject.entity';

/** The app's own tables (the service kit adds the outbox and inbox). */
export const LEISURE_ENTITIES = [Course, Enrollment, SessionRecord, Attendance, Referral, ParticipantSubject];
