import { WorkingDayCalendar } from '../working-days/working-day-calendar';
import { concernReportDeadlines } from './concern-report-deadlines';

/** Stockholm wall-clock time → instant, written out so the tests do not depend on the code under test. */
const cet = (local: string) => new Date(`${local}+01:00`);
const cest = (local: string) => new Date(`${local}+02:00`);
const iso = (d: Date) => d.toISOString();

describe('concernReportDeadlines', () => {
  it('a report on a working day within office hours: assessment the same day, decision 14 days later', () => {
    const d = concernReportDeadlines(cet('2026-11-23T10:15:00'));
    expect(iso(d.protectionAssessmentDue)).toBe('2026-11-23T22:59:59.999Z');
    expect(iso(d.decisionDue)).toBe('2026-12-07T22:59:59.999Z');
    expect(d.receivedOn).toBe('2026-11-23');
    expect(d.receivedOutsideOfficeHours).toBe(false);
  });

  it('Friday evening: assessment on Monday, decision counted from Friday', () => {
    const d = concernReportDeadlines(cet('2026-11-20T18:00:00'));
    expect(iso(d.protectionAssessmentDue)).toBe('2026-11-23T22:59:59.999Z');
    expect(iso(d.decisionDue)).toBe('2026-12-04T22:59:59.999Z');
    expect(d.receivedOutsideOfficeHours).toBe(true);
  });

  it('the closing minute is after hours; the minute before is not', () => {
    expect(iso(concernReportDeadlines(cet('2026-11-20T16:59:59')).protectionAssessmentDue)).toBe(
      '2026-11-20T22:59:59.999Z',
    );
    expect(iso(concernReportDeadlines(cet('2026-11-20T17:00:00')).protectionAssessmentDue)).toBe(
      '2026-11-23T22:59:59.999Z',
    );
  });

  it('before the office opens on a working day: due that same day', () => {
    const d = concernReportDeadlines(cet('2026-11-24T06:30:00'));
    expect(iso(d.protectionAssessmentDue)).toBe('2026-11-24T22:59:59.999Z');
    expect(d.receivedOutsideOfficeHours).toBe(true);
  });

  it('a weekend report is due the next working day', () => {
    expect(iso(concernReportDeadlines(cet('2026-11-28T11:00:00')).protectionAssessmentDue)).toBe(
      '2026-11-30T22:59:59.999Z',
    );
  });

  it('uses the Stockholm date, not the UTC date, near midnight', () => {
    // 23:30 UTC Monday = 00:30 Tuesday in Stockholm: received Tuesday before opening.
    const d = concernReportDeadlines(new Date('2026-11-23T23:30:00Z'));
    expect(d.receivedOn).toBe('2026-11-24');
    expect(iso(d.protectionAssessmentDue)).toBe('2026-11-24T22:59:59.999Z');
    expect(iso(d.decisionDue)).toBe('2026-12-08T22:59:59.999Z');
  });

  it('Easter: skärtorsdag after hours → tuesday after annandag påsk', () => {
    const d = concernReportDeadlines(cest('2026-04-02T17:30:00'));
    expect(iso(d.protectionAssessmentDue)).toBe('2026-04-07T21:59:59.999Z');
    expect(iso(d.decisionDue)).toBe('2026-04-16T21:59:59.999Z');
  });

  it('midsommar: Thursday evening → Monday', () => {
    expect(iso(concernReportDeadlines(cest('2026-06-18T20:00:00')).protectionAssessmentDue)).toBe(
      '2026-06-22T21:59:59.999Z',
    );
  });

  it('New Year: 30 December evening → 4 January; the decision date falls on 13 January', () => {
    const d = concernReportDeadlines(cet('2026-12-30T19:00:00'));
    expect(iso(d.protectionAssessmentDue)).toBe('2027-01-04T22:59:59.999Z');
    expect(iso(d.decisionDue)).toBe('2027-01-13T22:59:59.999Z');
  });

  it('julafton counts as a working day only when configured so', () => {
    const evening = cet('2026-12-23T18:00:00');
    expect(iso(concernReportDeadlines(evening).protectionAssessmentDue)).toBe('2026-12-28T22:59:59.999Z');
    expect(iso(concernReportDeadlines(evening, { practiceHolidays: [] }).protectionAssessmentDue)).toBe(
      '2026-12-24T22:59:59.999Z',
    );
  });

  it('DST spring: a decision deadline on the switch day ends at local midnight (CEST)', () => {
    const d = concernReportDeadlines(cet('2026-03-15T10:00:00'));
    expect(iso(d.decisionDue)).toBe('2026-03-29T21:59:59.999Z');
    // Saturday before the switch: assessment due Monday, already in summer time.
    const saturday = concernReportDeadlines(cet('2026-03-28T12:00:00'));
    expect(iso(saturday.protectionAssessmentDue)).toBe('2026-03-30T21:59:59.999Z');
    expect(iso(saturday.decisionDue)).toBe('2026-04-11T21:59:59.999Z');
  });

  it('DST autumn: a report in the repeated hour, and a decision across the switch', () => {
    // 02:30 CET on 2026-10-25 (the second 02:30 of that Sunday).
    const d = concernReportDeadlines(new Date('2026-10-25T01:30:00Z'));
    expect(d.receivedOn).toBe('2026-10-25');
    expect(iso(d.protectionAssessmentDue)).toBe('2026-10-26T22:59:59.999Z');
    const before = concernReportDeadlines(cest('2026-10-20T09:00:00'));
    expect(iso(before.protectionAssessmentDue)).toBe('2026-10-20T21:59:59.999Z');
    expect(iso(before.decisionDue)).toBe('2026-11-03T22:59:59.999Z');
  });

  it('honours configured office hours', () => {
    const hours = { officeHours: { opens: '07:00', closes: '16:00' } };
    expect(iso(concernReportDeadlines(cet('2026-11-23T16:30:00'), hours).protectionAssessmentDue)).toBe(
      '2026-11-24T22:59:59.999Z',
    );
    expect(() =>
      concernReportDeadlines(new Date(), { officeHours: { opens: '17:00', closes: '08:00' } }),
    ).toThrow();
    expect(() =>
      concernReportDeadlines(new Date(), { officeHours: { opens: '8', closes: '17:00' } }),
    ).toThrow();
  });

  it('can move a decision deadline off a non-working day, when the board so decides', () => {
    // Saturday 12 December + 14 = Saturday 26 December (annandag jul).
    const received = cet('2026-12-12T10:00:00');
    expect(iso(concernReportDeadlines(received).decisionDue)).toBe('2026-12-26T22:59:59.999Z');
    expect(iso(concernReportDeadlines(received, { decisionDueOnWorkingDay: true }).decisionDue)).toBe(
      '2026-12-28T22:59:59.999Z',
    );
  });

  it('reuses a given calendar, including its closing days', () => {
    const calendar = new WorkingDayCalendar({ extraNonWorkingDays: ['2026-11-24'] });
    expect(
      iso(concernReportDeadlines(cet('2026-11-23T18:00:00'), { calendar }).protectionAssessmentDue),
    ).toBe('2026-11-25T22:59:59.999Z');
  });
});
