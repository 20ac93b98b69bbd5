import { AppError, AppErrorCode } from '@samverkan/platform';
import {
  addCalendarMonths,
  extendedDueAt,
  investigationDueAt,
  isInvestigationOverdue,
} from './investigation-deadlines';
import { assertCanClose, assertCanExtend, InvestigationConflict } from './investigation-rules';

// Instants are written in Stockholm local time with the offset of the day (CET +01:00, CEST +02:00).
describe('investigation deadline: four months from the opening (SoL 11:2, counted by lag 1930:173)', () => {
  it('is the end of the same-numbered local day four months later', () => {
    expect(investigationDueAt(new Date('2026-11-18T10:15:00+01:00')).toISOString()).toBe(
      '2027-03-18T22:59:59.999Z',
    );
  });

  it('ends on the last day of the final month when it has no such day (31 Oct → 28 Feb, 29 Feb in a leap year)', () => {
    expect(investigationDueAt(new Date('2026-10-31T09:00:00+01:00')).toISOString()).toBe(
      '2027-02-28T22:59:59.999Z',
    );
    expect(investigationDueAt(new Date('2027-10-31T09:00:00+01:00')).toISOString()).toBe(
      '2028-02-29T22:59:59.999Z',
    );
  });

  it('counts from the local (Stockholm) date, not the UTC one: 00:30 local on 19 Nov is 23:30 UTC on 18 Nov', () => {
    expect(investigationDueAt(new Date('2026-11-18T23:30:00Z')).toISOString()).toBe(
      '2027-03-19T22:59:59.999Z',
    );
  });

  it('ends at local midnight across a DST switch (opened in CET, due in CEST) and across a year end', () => {
    expect(investigationDueAt(new Date('2027-01-15T14:00:00+01:00')).toISOString()).toBe(
      '2027-05-15T21:59:59.999Z',
    );
    expect(investigationDueAt(new Date('2026-12-31T16:00:00+01:00')).toISOString()).toBe(
      '2027-04-30T21:59:59.999Z',
    );
  });

  it('is not moved off a weekend (the stricter reading): 15 May 2027 is a Saturday', () => {
    expect(investigationDueAt(new Date('2027-01-15T09:00:00+01:00')).toISOString()).toBe(
      '2027-05-15T21:59:59.999Z',
    );
  });

  it('addCalendarMonths clamps to the end of the month and refuses fractions', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-08-31', 4)).toBe('2026-12-31');
    expect(addCalendarMonths('2026-09-30', 4)).toBe('2027-01-30');
    expect(() => addCalendarMonths('2026-09-30', 0.5)).toThrow(RangeError);
  });

  it('an extension runs to the end of the local day it names', () => {
    expect(extendedDueAt('2027-04-30').toISOString()).toBe('2027-04-30T21:59:59.999Z');
    expect(extendedDueAt('2027-12-01').toISOString()).toBe('2027-12-01T22:59:59.999Z');
  });
});

describe('isInvestigationOverdue', () => {
  const dueAt = new Date('2027-03-18T22:59:59.999Z');

  it('is not overdue up to and including the due instant, overdue after it while open', () => {
    expect(isInvestigationOverdue({ dueAt, closedAt: null }, dueAt)).toBe(false);
    expect(isInvestigationOverdue({ dueAt, closedAt: null }, new Date('2027-03-18T23:00:00Z'))).toBe(true);
  });

  it('a closed investigation is not overdue, even one closed late', () => {
    const closedAt = new Date('2027-04-02T10:00:00Z');
    expect(isInvestigationOverdue({ dueAt, closedAt }, new Date('2027-06-01T08:00:00Z'))).toBe(false);
  });
});

describe('investigation transitions', () => {
  const dueAt = new Date('2027-03-18T22:59:59.999Z');
  const refusal = (fn: () => void): { code: AppErrorCode; message: string } => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error('expected a conflict');
  };

  it('closes and extends an open investigation', () => {
    expect(() => assertCanClose({ dueAt, closedAt: null })).not.toThrow();
    expect(() => assertCanExtend({ dueAt, closedAt: null }, dueAt)).not.toThrow();
  });

  it('refuses to close or extend a closed one, and an extension decided after the deadline', () => {
    const closed = { dueAt, closedAt: new Date('2027-03-01T10:00:00Z') };
    expect(refusal(() => assertCanClose(closed))).toEqual({
      code: AppErrorCode.INVALID_STATE,
      message: InvestigationConflict.ALREADY_CLOSED,
    });
    expect(refusal(() => assertCanExtend(closed, new Date('2027-03-02T10:00:00Z'))).message).toBe(
      InvestigationConflict.ALREADY_CLOSED,
    );
    expect(
      refusal(() => assertCanExtend({ dueAt, closedAt: null }, new Date('2027-03-18T23:00:00Z'))),
    ).toEqual({ code: AppErrorCode.INVALID_STATE, message: InvestigationConflict.EXTENSION_TOO_LATE });
  });
});
