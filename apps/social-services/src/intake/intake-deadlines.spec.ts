import { validateEnv } from '@samverkan/config';
import { SocialServicesEnv } from '../config/social-services.env';
import {
  deadlineOptionsFrom,
  deadlinesFor,
  isViolenceSuspected,
  overdueKinds,
  receiptTimeOf,
} from './intake-deadlines';

const BASE_ENV = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'social-services',
  KAFKA_PASSWORD: 'x',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/social_services',
};
const options = (extra: Record<string, string> = {}) =>
  deadlineOptionsFrom(validateEnv(SocialServicesEnv, { ...BASE_ENV, ...extra }));

// Instants are written in Stockholm local time with the offset of the day (CET +01:00, CEST +02:00).
describe('intake deadlines (libs/calendar with the app configuration)', () => {
  it('a report on a working day within office hours: assessment due the same day, decision 14 days later', () => {
    const d = deadlinesFor(new Date('2026-11-18T10:15:00+01:00'), options()); // Wednesday
    expect(d.protectionAssessmentDue.toISOString()).toBe('2026-11-18T22:59:59.999Z'); // 23:59:59.999 local
    expect(d.decisionDue.toISOString()).toBe('2026-12-02T22:59:59.999Z');
    expect(d.receivedOutsideOfficeHours).toBe(false);
  });

  it('after office hours on a Friday: assessment due on Monday', () => {
    const d = deadlinesFor(new Date('2026-11-20T17:30:00+01:00'), options());
    expect(d.protectionAssessmentDue.toISOString()).toBe('2026-11-23T22:59:59.999Z');
    expect(d.decisionDue.toISOString()).toBe('2026-12-04T22:59:59.999Z');
    expect(d.receivedOutsideOfficeHours).toBe(true);
  });

  it('at the closing minute counts as after hours; configured office hours move that line', () => {
    expect(deadlinesFor(new Date('2026-11-18T17:00:00+01:00'), options()).receivedOutsideOfficeHours).toBe(
      true,
    );
    const late = deadlinesFor(
      new Date('2026-11-18T17:00:00+01:00'),
      options({ INTAKE_OFFICE_CLOSES: '18:00' }),
    );
    expect(late.receivedOutsideOfficeHours).toBe(false);
    expect(late.protectionAssessmentDue.toISOString()).toBe('2026-11-18T22:59:59.999Z');
  });

  it('skips Swedish public holidays and eves: a report on julafton is due the next working day (27 Dec 2027 is Monday)', () => {
    // 24 Dec 2027 is a Friday (julafton), 25 Saturday, 26 Sunday.
    const d = deadlinesFor(new Date('2027-12-24T09:00:00+01:00'), options());
    expect(d.protectionAssessmentDue.toISOString()).toBe('2027-12-27T22:59:59.999Z');
  });

  it("the municipality's own closing days are not working days", () => {
    // Friday after Ascension Day 2027 (Kristi himmelsfärd is Thursday 6 May) as a klämdag.
    const opts = options({ INTAKE_EXTRA_NON_WORKING_DAYS: '2027-05-07' });
    const d = deadlinesFor(new Date('2027-05-05T18:00:00+02:00'), opts);
    expect(d.protectionAssessmentDue.toISOString()).toBe('2027-05-10T21:59:59.999Z');
  });

  it('the decision deadline moves to a working day only when configured', () => {
    // Received Saturday 2026-11-21 → day 14 is Saturday 2026-12-05.
    const received = new Date('2026-11-21T11:00:00+01:00');
    expect(deadlinesFor(received, options()).decisionDue.toISOString()).toBe('2026-12-05T22:59:59.999Z');
    expect(
      deadlinesFor(
        received,
        options({ INTAKE_DECISION_DUE_ON_WORKING_DAY: 'true' }),
      ).decisionDue.toISOString(),
    ).toBe('2026-12-07T22:59:59.999Z');
  });
});

describe('receiptTimeOf', () => {
  it('is the filing time, or the registration time when the filer clock runs ahead', () => {
    const filed = new Date('2026-11-18T10:00:00Z');
    const registered = new Date('2026-11-18T12:00:00Z');
    expect(receiptTimeOf(filed, registered)).toBe(filed);
    expect(receiptTimeOf(new Date('2026-11-18T13:00:00Z'), registered)).toBe(registered);
  });
});

describe('overdueKinds', () => {
  const item = {
    protectionAssessmentDue: new Date('2026-11-18T22:59:59.999Z'),
    decisionDue: new Date('2026-12-02T22:59:59.999Z'),
    assessedAt: null,
    decidedAt: null,
  };

  it('nothing is overdue up to and including the due instant', () => {
    expect(overdueKinds(item, new Date('2026-11-18T22:59:59.999Z'))).toEqual([]);
  });

  it('the assessment is overdue after its due time while not done; the decision after its own', () => {
    expect(overdueKinds(item, new Date('2026-11-18T23:00:00Z'))).toEqual(['protection-assessment']);
    expect(overdueKinds(item, new Date('2026-12-03T08:00:00Z'))).toEqual([
      'protection-assessment',
      'decision',
    ]);
  });

  it('a step done, even late, is not overdue any more', () => {
    const assessedLate = { ...item, assessedAt: new Date('2026-11-20T09:00:00Z') };
    expect(overdueKinds(assessedLate, new Date('2026-11-25T08:00:00Z'))).toEqual([]);
    const bothDone = { ...assessedLate, decidedAt: new Date('2026-12-01T09:00:00Z') };
    expect(overdueKinds(bothDone, new Date('2027-01-10T08:00:00Z'))).toEqual([]);
  });
});

describe('isViolenceSuspected', () => {
  it('is true for physical violence and sexual abuse, false otherwise', () => {
    expect(isViolenceSuspected(['neglect', 'physical-violence'])).toBe(true);
    expect(isViolenceSuspected(['sexual-abuse'])).toBe(true);
    expect(isViolenceSuspected(['neglect', 'school-absence', 'other'])).toBe(false);
  });
});
