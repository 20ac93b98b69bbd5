import { ConcernReport } from './concern-reports/concern-report.entity';
import { Consent } from './consents/consent.entity';
import { IdempotencyRecord } from './idempotency/idempotency-record.entity';
import { SchoolAbsenceFlag } from './school-absence/school-absence-flag.entity';
import { SharedInterventionEvent } from './shared-interventions/shared-intervention-event.entity';
import { ChildSubject } from './subjects/child-subject.entity';

export const EDUCATION_ENTITIES = [
  ChildSubject,
  IdempotencyRecord,
  ConcernReport,
  Consent,
  SchoolAbsenceFlag,
  SharedInterventionEvent,
];
