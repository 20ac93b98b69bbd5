import { ConcernReportFiledV1 } from './concern-report/filed.v1.event';
import { ConcernReportProtectionAssessedV1 } from './concern-report/protection-assessed.v1.event';
import { ConcernReportDecidedV1 } from './concern-report/decided.v1.event';
import { InvestigationClosedV1 } from './investigation/closed.v1.event';
import { InterventionReferredV1 } from './intervention/referred.v1.event';
import { InterventionStartedV1 } from './intervention/started.v1.event';
import { InterventionEndedV1 } from './intervention/ended.v1.event';
import { ConsentGrantedV1 } from './consent/granted.v1.event';
import { ConsentWithdrawnV1 } from './consent/withdrawn.v1.event';
import { SchoolAbsenceFlaggedV1 } from './school-absence/flagged.v1.event';
import { CourseScheduledV1 } from './course/scheduled.v1.event';
import { CourseParticipantEnrolledV1 } from './course/participant-enrolled.v1.event';
import { CourseParticipantWaitlistedV1 } from './course/participant-waitlisted.v1.event';
import { CourseParticipantWithdrawnV1 } from './course/participant-withdrawn.v1.event';
import { CourseAttendanceRecordedV1 } from './course/attendance-recorded.v1.event';
import { CourseParticipantCompletedV1 } from './course/participant-completed.v1.event';
import { CourseCompletedV1 } from './course/completed.v1.event';
import { CoursePlacesAvailableV1 } from './course/places-available.v1.event';
import { PersonalDataField, PersonalDataKind, personalDataFieldsOfClass } from './common/personal-data';

/**
 * Event type → payload class. Publishing and handling are typed through this map, so a wrong
 * payload for a type does not compile. A published version is never changed incompatibly: a
 * breaking change is a new `.v<major>` entry next to the old one.
 */
export interface EventMap {
  'samverkan.concern-report.filed.v1': ConcernReportFiledV1;
  'samverkan.concern-report.protection-assessed.v1': ConcernReportProtectionAssessedV1;
  'samverkan.concern-report.decided.v1': ConcernReportDecidedV1;
  'samverkan.investigation.closed.v1': InvestigationClosedV1;
  'samverkan.intervention.referred.v1': InterventionReferredV1;
  'samverkan.intervention.started.v1': InterventionStartedV1;
  'samverkan.intervention.ended.v1': InterventionEndedV1;
  'samverkan.consent.granted.v1': ConsentGrantedV1;
  'samverkan.consent.withdrawn.v1': ConsentWithdrawnV1;
  'samverkan.school-absence.flagged.v1': SchoolAbsenceFlaggedV1;
  'samverkan.course.scheduled.v1': CourseScheduledV1;
  'samverkan.course.participant-enrolled.v1': CourseParticipantEnrolledV1;
  'samverkan.course.participant-waitlisted.v1': CourseParticipantWaitlistedV1;
  'samverkan.course.participant-withdrawn.v1': CourseParticipantWithdrawnV1;
  'samverkan.course.attendance-recorded.v1': CourseAttendanceRecordedV1;
  'samverkan.course.participant-completed.v1': CourseParticipantCompletedV1;
  'samverkan.course.completed.v1': CourseCompletedV1;
  'samverkan.course.places-available.v1': CoursePlacesAvailableV1;
}

export type EventType = keyof EventMap;

export const EVENT_CLASSES: { [K in EventType]: new () => EventMap[K] } = {
  'samverkan.concern-report.filed.v1': ConcernReportFiledV1,
  'samverkan.concern-report.protection-assessed.v1': ConcernReportProtectionAssessedV1,
  'samverkan.concern-report.decided.v1': ConcernReportDecidedV1,
  'samverkan.investigation.closed.v1': InvestigationClosedV1,
  'samverkan.intervention.referred.v1': InterventionReferredV1,
  'samverkan.intervention.started.v1': InterventionStartedV1,
  'samverkan.intervention.ended.v1': InterventionEndedV1,
  'samverkan.consent.granted.v1': ConsentGrantedV1,
  'samverkan.consent.withdrawn.v1': ConsentWithdrawnV1,
  'samverkan.school-absence.flagged.v1': SchoolAbsenceFlaggedV1,
  'samverkan.course.scheduled.v1': CourseScheduledV1,
  'samverkan.course.participant-enrolled.v1': CourseParticipantEnrolledV1,
  'samverkan.course.participant-waitlisted.v1': CourseParticipantWaitlistedV1,
  'samverkan.course.participant-withdrawn.v1': CourseParticipantWithdrawnV1,
  'samverkan.course.attendance-recorded.v1': CourseAttendanceRecordedV1,
  'samverkan.course.participant-completed.v1': CourseParticipantCompletedV1,
  'samverkan.course.completed.v1': CourseCompletedV1,
  'samverkan.course.places-available.v1': CoursePlacesAvailableV1,
};

export const EVENT_TYPES: EventType[] = Object.keys(EVENT_CLASSES) as EventType[];

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CLASSES, type);
}

const personalDataCache = new Map<EventType, PersonalDataField[]>();

/**
 * The personal-data fields of an event's data as dotted paths (`child.personnummer`,
 * `reporter.contact.email`; array elements as `[]`), optionally only some kinds. The router strips
 * or pseudonymizes these; the reporting leak test asserts none of them arrives.
 */
export function personalDataFieldsOf(type: EventType, kinds?: readonly PersonalDataKind[]): string[] {
  return personalDataOf(type)
    .filter((f) => !kinds || kinds.includes(f.kind))
    .map((f) => f.path);
}

/** Like personalDataFieldsOf, with each field's kind. */
export function personalDataOf(type: EventType): PersonalDataField[] {
  let fields = personalDataCache.get(type);
  if (!fields) {
    fields = personalDataFieldsOfClass(EVENT_CLASSES[type]);
    personalDataCache.set(type, fields);
  }
  return fields.map((f) => ({ ...f }));
}

/**
 * A deep copy of `data` without the personal-data fields of the given kinds (all kinds by default).
 * The result is deliberately not an EventMap[T]: required fields may be gone.
 */
export function withoutPersonalData(
  type: EventType,
  data: unknown,
  kinds?: readonly PersonalDataKind[],
): Record<string, unknown> {
  const copy = structuredClone(data) as Record<string, unknown>;
  for (const path of personalDataFieldsOf(type, kinds)) removePath(copy, path.split('.'));
  return copy;
}

function removePath(node: unknown, segments: string[]): void {
  if (node === null || typeof node !== 'object' || segments.length === 0) return;
  const [head, ...rest] = segments;
  const isArray = head.endsWith('[]');
  const key = isArray ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  if (rest.length === 0) {
    delete record[key];
    return;
  }
  const child = record[key];
  if (isArray) {
    if (Array.isArray(child)) for (const item of child) removePath(item, rest);
  } else {
    removePath(child, rest);
  }
}
