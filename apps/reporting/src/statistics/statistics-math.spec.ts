import {
  CohortTooSmall,
  courseRows,
  followUpRows,
  handlingRows,
  interventionRows,
  median,
  monthByKeyTable,
  schoolYearRows,
  type HandlingCounts,
} from './statistics-math';

const K = 5;

const month = (m: string, over: Partial<HandlingCounts>): HandlingCounts => ({
  month: m,
  reports: 0,
  assessed: 0,
  assessedSameDay: 0,
  assessedInTime: 0,
  decided: 0,
  decidedInTime: 0,
  withReporter: 0,
  feedbackGiven: 0,
  daysToDecision: [],
  ...over,
});

describe('statistics math', () => {
  it('median of odd and even counts, none for nothing', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeNull();
  });

  it('month × reporter kind: per-kind and per-month totals, small cells and their complements hidden', () => {
    const rows = monthByKeyTable(
      [
        { month: '2026-01', key: 'teacher', n: 12 },
        { month: '2026-01', key: 'principal', n: 2 },
        { month: '2026-01', key: 'school-nurse', n: 9 },
        { month: '2026-02', key: 'teacher', n: 20 },
        { month: '2026-02', key: 'principal', n: 8 },
      ],
      ['teacher', 'principal', 'school-nurse'],
      K,
      true,
    );
    expect(rows.map((r) => r.month)).toEqual(['2026-01', '2026-02', 'total']);
    expect(rows[0]).toMatchObject({ principal: null, total: 23 });
    expect(rows[0].suppressed).toContain('principal');
    // January: a second cell is hidden so 23 − shown cells does not give the 2 back.
    expect(rows[0].suppressed!.length).toBeGreaterThanOrEqual(2);
    // The principal column: 2 hidden in January, so February's 8 or the column total goes too.
    const principalHidden = rows.filter((r) => r.suppressed?.includes('principal')).length;
    expect(principalHidden).toBeGreaterThanOrEqual(2);
    expect(rows[2].total).toBe(51);
  });

  it('categories overlap: no month total, per-category period totals protected', () => {
    const rows = monthByKeyTable(
      [
        { month: '2026-01', key: 'neglect', n: 3 },
        { month: '2026-02', key: 'neglect', n: 9 },
      ],
      ['neglect', 'other'],
      K,
      false,
    );
    expect(rows[0]).not.toHaveProperty('total');
    expect(rows[0].neglect).toBeNull();
    // 12 total − 9 shown would give 3: February or the total is hidden as well.
    expect(rows[1].neglect === null || rows[2].neglect === null).toBe(true);
    expect(rows[2].other).toBe(0);
  });

  it('handling: shares, median, and suppression of shares whose counts are small', () => {
    const rows = handlingRows(
      [
        month('2026-01', {
          reports: 20,
          assessed: 20,
          assessedSameDay: 15,
          assessedInTime: 18, // 2 not in time: complement small
          decided: 10,
          decidedInTime: 5,
          withReporter: 10,
          feedbackGiven: 10,
          daysToDecision: [1, 2, 3, 14, 20, 5, 6, 7, 8, 9],
        }),
        month('2026-02', { reports: 3, assessed: 3, assessedSameDay: 3, decided: 1, daysToDecision: [4] }),
        month('2026-03', { reports: 40, assessed: 40, assessedSameDay: 40, decided: 0 }),
      ],
      K,
    );
    const [jan, feb, mar, total] = rows;
    expect(jan).toMatchObject({
      assessedSameDayShare: 0.75,
      decidedWithin14DaysShare: 0.5,
      feedbackShare: 1,
    });
    expect(jan.medianDaysToDecision).toBe(6.5);
    expect(jan.assessedInTimeShare).toBeNull();
    expect(jan.suppressed).toContain('assessedInTimeShare');
    expect(feb.reports).toBeNull();
    expect(feb.medianDaysToDecision).toBeNull();
    expect(feb.suppressed).toEqual(expect.arrayContaining(['reports', 'assessed', 'medianDaysToDecision']));
    // February alone hidden would be total − January − March: the smallest other month goes too.
    expect(jan.reports).toBeNull();
    expect(mar.reports).toBe(40);
    expect(total.reports).toBe(63);
    expect(mar.decidedWithin14DaysShare).toBeNull(); // nothing decided: not applicable
    expect(mar.suppressed ?? []).not.toContain('decidedWithin14DaysShare');
    expect(total.assessedSameDayShare).toBeCloseTo(58 / 63, 4);
  });

  it('interventions: primary suppression per cell, sorted', () => {
    const rows = interventionRows(
      [
        { catalogCode: 'komet', basis: 'after-decision', year: 2026, started: 7, ended: 2 },
        { catalogCode: 'abc', basis: 'service-without-needs-assessment', year: 2026, started: 5, ended: 0 },
      ],
      K,
    );
    expect(rows.map((r) => r.catalogCode)).toEqual(['abc', 'komet']);
    expect(rows[1]).toMatchObject({ started: 7, ended: null, suppressed: ['ended'] });
    expect(rows[0]).toMatchObject({ started: 5, ended: 0 });
  });

  it('Mobila teamet per school year: a small year and its complement are hidden, the total kept', () => {
    const rows = schoolYearRows(
      [
        { schoolYear: 7, children: 12 },
        { schoolYear: 8, children: 3 },
        { schoolYear: 9, children: 6 },
      ],
      K,
    );
    expect(rows.map((r) => r.children)).toEqual([12, null, null, 21]);
  });

  it('courses: fill rate, completion rate, dropouts, with the fill rate hidden when enrolment is', () => {
    const [a, b] = courseRows(
      [
        {
          programme: 'abc',
          district: 'north',
          courses: 2,
          capacity: 24,
          enrolled: 20,
          waitlisted: 6,
          completed: 14,
          dropouts: 0,
        },
        {
          programme: 'komet',
          district: null,
          courses: 1,
          capacity: 12,
          enrolled: 4,
          waitlisted: 0,
          completed: 4,
          dropouts: 0,
        },
      ],
      K,
    );
    expect(a).toMatchObject({ fillRate: 0.8333, completionRate: 0.7, waitlisted: 6, dropouts: 0 });
    expect(b).toMatchObject({
      district: 'none',
      enrolled: null,
      fillRate: null,
      completionRate: null,
      capacity: 12,
    });
    expect(b.suppressed).toEqual(
      expect.arrayContaining(['enrolled', 'fillRate', 'completed', 'completionRate']),
    );
  });

  it('follow-up: shares per group; a group smaller than k refuses the whole query', () => {
    const rows = followUpRows(
      [
        { group: 'intervention-or-course', children: 40, withNewReport: 6 },
        { group: 'comparison', children: 100, withNewReport: 3 },
      ],
      K,
    );
    expect(rows[0]).toMatchObject({ children: 40, withNewReport: 6, shareWithNewReport: 0.15 });
    expect(rows[1]).toMatchObject({ withNewReport: null, shareWithNewReport: null });
    expect(() =>
      followUpRows(
        [
          { group: 'intervention-or-course', children: 4, withNewReport: 0 },
          { group: 'comparison', children: 100, withNewReport: 10 },
        ],
        K,
      ),
    ).toThrow(CohortTooSmall);
  });
});
