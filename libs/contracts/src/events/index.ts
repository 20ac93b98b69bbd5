export * from './event-map';
export {
  PersonalData,
  Nested,
  PERSONAL_DATA_KINDS,
  personalDataFieldsOfClass,
  nestedFieldsOfClass,
} from './common/personal-data';
export type { PersonalDataKind, PersonalDataField } from './common/personal-data';
export * from './common/shared';
export {
  IsCalendarDate,
  IsCatalogCode,
  IsMunicipalityCode,
  IsCanonicalPersonnummer,
  IsRfc3339,
  IsSchoolUnitCode,
} from './common/validators';
export {
  isAbsoluteUri,
  isCalendarDate,
  isCanonicalPersonnummer,
  isEventTypeName,
  isMunicipalityCode,
  isRfc3339,
  isSchoolUnitCode,
  isTraceparent,
  isUriReference,
  EVENT_TYPE_PATTERN,
} from './common/formats';
export * from './concern-report/filed.v1.event';
export * from './concern-report/protection-assessed.v1.event';
export * from './concern-report/decided.v1.event';
export * from './investigation/closed.v1.event';
export * from './intervention/referred.v1.event';
export * from './intervention/started.v1.event';
export * from './intervention/ended.v1.event';
export * from './consent/granted.v1.event';
export * from './consent/withdrawn.v1.event';
export * from './school-absence/flagged.v1.event';
export * from './course/scheduled.v1.event';
export * from './course/participant-enrolled.v1.event';
export * from './course/participant-waitlisted.v1.event';
export * from './course/participant-withdrawn.v1.event';
export * from './course/attendance-recorded.v1.event';
export * from './course/participant-completed.v1.event';
export * from './course/completed.v1.event';
export * from './course/places-available.v1.event';
export * from './course/participant';
export * from './course/course-kinds';
export * from './course/course-session';
export * from './event-examples';
