import { ChildTimelineEntry } from './projections/child-timeline.entity';
import { ConcernReportProjection } from './projections/concern-report.entity';
import { CourseEnrolmentProjection } from './projections/course-enrolment.entity';
import { CourseProjection } from './projections/course.entity';
import { InterventionProjection } from './projections/intervention.entity';

export const REPORTING_ENTITIES = [
  ConcernReportProjection,
  InterventionProjection,
  CourseProjection,
  CourseEnrolmentProjection,
  ChildTimelineEntry,
];
