import { EventMap, EventType } from './event-map';

/**
 * One valid payload per event type, with fictitious people (the personnummer are made-up numbers
 * that pass the Luhn check, never real ones). Used by the contract tests, as schema examples, and
 * by other teams' tests as a starting point.
 */
const CHILD_PNR = '201505152387';
const PARENT_PNR = '198502141230';
const REPORT_ID = '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11';
const COURSE_ID = '5d2c2a1e-8f0e-4f5b-9b0a-6f4c1d2e3a4b';
const ENROLLMENT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const REFERRAL_ID = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a';
const INTERVENTION_ID = '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098';
const CONSENT_ID = '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';

const school = { agency: 'education', unitCode: '12345678', municipality: '0781' } as const;
const ifo = { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' } as const;
const leisure = {
  agency: 'leisure',
  unitCode: 'familjecentralen',
  municipality: '0781',
  district: 'centrum',
} as const;
const child = { personnummer: CHILD_PNR, name: 'Testa Testsson' };
const parent = { role: 'parent', personnummer: PARENT_PNR, name: 'Förälder Testsson' } as const;

export const EVENT_EXAMPLES: { readonly [K in EventType]: EventMap[K] } = {
  'samverkan.concern-report.filed.v1': {
    reportId: REPORT_ID,
    child,
    reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
    reporter: {
      role: 'teacher',
      name: 'Lärare Larsson',
      contact: { email: 'larare@skola.example', phone: '0372-123 45' },
    },
    categories: ['neglect', 'school-absence'],
    description: 'Eleven har varit borta mycket och berättar om oro hemma.',
    immediateDanger: false,
    filedAt: '2026-11-23T09:15:00+01:00',
  },
  'samverkan.concern-report.protection-assessed.v1': {
    reportId: REPORT_ID,
    child: { personnummer: CHILD_PNR },
    outcome: 'no-immediate-protection-needed',
    receivedAt: '2026-11-23T09:15:02+01:00',
    assessedAt: '2026-11-23T13:40:00+01:00',
    assessingUnit: ifo,
  },
  'samverkan.concern-report.decided.v1': {
    reportId: REPORT_ID,
    child: { personnummer: CHILD_PNR },
    outcome: 'investigation-opened',
    receivedAt: '2026-11-23T09:15:02+01:00',
    decidedAt: '2026-12-02T10:00:00+01:00',
    decidingUnit: ifo,
    reporterUnit: school,
  },
  'samverkan.investigation.closed.v1': {
    investigationId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    reportId: REPORT_ID,
    child: { personnummer: CHILD_PNR },
    outcome: 'interventions-decided',
    openedAt: '2026-12-02T10:00:00+01:00',
    closedAt: '2027-03-15T15:00:00+01:00',
    investigatingUnit: ifo,
  },
  'samverkan.intervention.referred.v1': {
    referralId: REFERRAL_ID,
    child: { personnummer: CHILD_PNR },
    catalogCode: 'skilda-varldar',
    basis: 'service-without-needs-assessment',
    referringUnit: ifo,
    receivingUnit: leisure,
    courseId: COURSE_ID,
    contact: { phone: '070-123 45 67' },
    referredAt: '2027-01-10T10:00:00+01:00',
  },
  'samverkan.intervention.started.v1': {
    interventionId: INTERVENTION_ID,
    child: { personnummer: CHILD_PNR },
    catalogCode: 'mobila-teamet',
    basis: 'service-without-needs-assessment',
    organisationUnit: school,
    startedAt: '2026-11-25T08:00:00+01:00',
    schoolYear: 5,
  },
  'samverkan.intervention.ended.v1': {
    interventionId: INTERVENTION_ID,
    child: { personnummer: CHILD_PNR },
    catalogCode: 'mobila-teamet',
    basis: 'service-without-needs-assessment',
    organisationUnit: school,
    startedAt: '2026-11-25T08:00:00+01:00',
    endedAt: '2027-05-30T16:00:00+02:00',
    reason: 'completed',
  },
  'samverkan.consent.granted.v1': {
    consentId: CONSENT_ID,
    child: { personnummer: CHILD_PNR },
    parties: ['education', 'social-services'],
    informationKinds: ['interventions', 'school-attendance'],
    purpose: 'mobile-team',
    validFrom: '2026-11-25',
    validTo: '2027-06-30',
    grantedBy: 'both-guardians',
    grantedAt: '2026-11-24T15:00:00+01:00',
    recordedBy: school,
  },
  'samverkan.consent.withdrawn.v1': {
    consentId: CONSENT_ID,
    child: { personnummer: CHILD_PNR },
    withdrawnAt: '2027-02-01T09:00:00+01:00',
    recordedBy: school,
  },
  'samverkan.school-absence.flagged.v1': {
    flagId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    child: { personnummer: CHILD_PNR },
    schoolUnitCode: '12345678',
    municipality: '0781',
    period: { from: '2026-10-01', to: '2026-11-20' },
    absenceRate: 0.34,
    unexcusedRate: 0.2,
    schoolYear: 5,
    flaggedAt: '2026-11-21T10:00:00+01:00',
  },
  'samverkan.course.scheduled.v1': {
    courseId: COURSE_ID,
    catalogCode: 'skilda-varldar',
    organisingUnit: leisure,
    capacity: 8,
    sessions: Array.from({ length: 10 }, (_, i) => ({
      number: i + 1,
      date: `2027-02-${String(1 + i * 2).padStart(2, '0')}`,
      startTime: '15:30',
      minutes: 120,
    })),
    language: 'sv',
    location: 'Familjecentralen, Storgatan 1',
    targetAges: { min: 7, max: 13 },
    scheduledAt: '2027-01-05T10:00:00+01:00',
  },
  'samverkan.course.participant-enrolled.v1': {
    courseId: COURSE_ID,
    enrollmentId: ENROLLMENT_ID,
    catalogCode: 'skilda-varldar',
    participant: { role: 'child', personnummer: CHILD_PNR, name: 'Testa Testsson' },
    channel: 'referral',
    referralId: REFERRAL_ID,
    fromWaitlist: false,
    late: false,
    enrolledAt: '2027-01-12T10:00:00+01:00',
  },
  'samverkan.course.participant-waitlisted.v1': {
    courseId: COURSE_ID,
    enrollmentId: ENROLLMENT_ID,
    catalogCode: 'aktivt-foraldraskap-3-12',
    // A service-basis programme: no personnummer, an alias and a contact instead.
    participant: { role: 'parent', alias: 'Mamma till L', contact: { email: 'foralder@example.org' } },
    channel: 'self-registration',
    position: 2,
    waitlistedAt: '2027-01-12T10:00:00+01:00',
  },
  'samverkan.course.participant-withdrawn.v1': {
    courseId: COURSE_ID,
    enrollmentId: ENROLLMENT_ID,
    catalogCode: 'aktivt-foraldraskap-3-12',
    participant: parent,
    child: { personnummer: CHILD_PNR },
    fromWaitlist: false,
    reason: 'participant-request',
    withdrawnAt: '2027-02-10T10:00:00+01:00',
  },
  'samverkan.course.attendance-recorded.v1': {
    courseId: COURSE_ID,
    enrollmentId: ENROLLMENT_ID,
    catalogCode: 'skilda-varldar',
    participant: { role: 'child', personnummer: CHILD_PNR },
    sessionNumber: 3,
    attended: true,
    recordedAt: '2027-02-05T17:40:00+01:00',
  },
  'samverkan.course.participant-completed.v1': {
    courseId: COURSE_ID,
    enrollmentId: ENROLLMENT_ID,
    catalogCode: 'skilda-varldar',
    participant: { role: 'child', personnummer: CHILD_PNR },
    sessionsAttended: 9,
    sessionsPlanned: 10,
    completedAt: '2027-02-19T17:40:00+01:00',
  },
  'samverkan.course.completed.v1': {
    courseId: COURSE_ID,
    catalogCode: 'skilda-varldar',
    organisingUnit: leisure,
    summary: {
      capacity: 8,
      enrolled: 8,
      completed: 6,
      notCompleted: 1,
      withdrawn: 1,
      waitlisted: 2,
      sessionsHeld: 10,
      sessionsPlanned: 10,
    },
    completedAt: '2027-02-19T17:40:00+01:00',
  },
  'samverkan.course.places-available.v1': {
    courseId: COURSE_ID,
    catalogCode: 'skilda-varldar',
    organisingUnit: leisure,
    placesAvailable: 2,
    capacity: 8,
    startsOn: '2027-02-01',
    language: 'sv',
    publishedAt: '2027-01-25T10:00:00+01:00',
  },
};
