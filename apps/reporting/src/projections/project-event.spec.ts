import { ProjectionBatch, upsertStatement } from './projection-batch';
import { PROJECTED_TYPES, projectEvent, type ReportingEvent } from './project-event';

const REPORT = '6f1c2b1e-8a57-4d0e-9d1a-1f4b7c9e2a01';
const ev = (type: string, data: unknown): ReportingEvent => ({
  id: 'e',
  type: `samverkan.${type}.v1`,
  subject: 'p'.repeat(64),
  municipality: '0781',
  data,
});

// Shapes as the router delivers them to reporting: personal data removed (see the sharing policy).
const filed = ev('concern-report.filed', {
  reportId: REPORT,
  child: {},
  reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
  reporter: { role: 'teacher', contact: {} },
  categories: ['neglect', 'school-absence'],
  immediateDanger: false,
  filedAt: '2026-03-02T09:00:00+01:00',
});
const assessed = ev('concern-report.protection-assessed', {
  reportId: REPORT,
  child: {},
  outcome: 'no-immediate-protection-needed',
  receivedAt: '2026-03-02T09:05:00+01:00',
  assessedAt: '2026-03-02T15:00:00+01:00',
  assessingUnit: { agency: 'social-services', unitCode: 'ifo-1', municipality: '0781', district: 'north' },
});
const decided = ev('concern-report.decided', {
  reportId: REPORT,
  child: {},
  outcome: 'investigation-opened',
  receivedAt: '2026-03-02T09:05:00+01:00',
  decidedAt: '2026-03-20T10:00:00+01:00',
  decidingUnit: { agency: 'social-services', unitCode: 'ifo-1', municipality: '0781' },
  reporterUnit: { agency: 'education', unitCode: '12345678', municipality: '0781' },
});

describe('projectEvent', () => {
  it('concern report: each event fills its own columns, computed with the Swedish calendar', () => {
    const [f] = projectEvent(filed);
    expect(f.row).toMatchObject({
      reporter_kind: 'teacher',
      categories: 'neglect,school-absence',
      filed_on: '2026-03-02',
      unit_code: '12345678',
      has_reporter: true,
    });
    const [a] = projectEvent(assessed);
    expect(a.row).toMatchObject({
      received_on: '2026-03-02',
      assessed_same_day: true,
      assessed_in_time: true,
      district: 'north',
    });
    const [d] = projectEvent(decided);
    // Received 2 March, decided 20 March: 18 days, past the 14-day deadline.
    expect(d.row).toMatchObject({
      decided_on: '2026-03-20',
      days_to_decision: 18,
      decided_in_time: false,
      feedback_given: true,
    });
  });

  it('a decision without a reporter unit gives no feedback and does not claim a reporter', () => {
    const data = { ...(decided.data as object), reporterUnit: undefined };
    const [d] = projectEvent(ev('concern-report.decided', data));
    expect(d.row.feedback_given).toBe(false);
    expect(d.row.has_reporter).toBeUndefined();
  });

  it('every concern-report event puts the report on the child timeline once, at the earliest time', () => {
    const batch = new ProjectionBatch();
    batch.add([...projectEvent(decided), ...projectEvent(filed), ...projectEvent(assessed)]);
    // One concern report row and one timeline row (both keyed by the report id).
    expect(batch.pendingRows).toBe(2);
  });

  it('interventions carry the catalog prevention level; the timeline marks preventive starts', () => {
    const ops = projectEvent(
      ev('intervention.started', {
        interventionId: '0b6f7a4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c',
        child: {},
        catalogCode: 'mobila-teamet',
        basis: 'service-without-needs-assessment',
        organisationUnit: { agency: 'education', unitCode: 'mt-1', municipality: '0781' },
        startedAt: '2026-02-01T10:00:00+01:00',
        schoolYear: 8,
      }),
    );
    expect(ops[0].row).toMatchObject({
      catalog_code: 'mobila-teamet',
      school_year: 8,
      started_on: '2026-02-01',
    });
    expect(ops[1]).toMatchObject({ table: 'child_timeline', row: { kind: 'intervention-started' } });
    expect(typeof ops[1].row.preventive).toBe('boolean');
  });

  it('a parent on a course without a named child counts for no child in the follow-up', () => {
    const base = {
      courseId: '1c7e0d6a-2b3c-4d5e-8f90-a1b2c3d4e5f6',
      enrollmentId: '2d8f1e7b-3c4d-4e6f-9a01-b2c3d4e5f6a7',
      catalogCode: 'abc',
      participant: { role: 'parent' },
      sessionsAttended: 8,
      sessionsPlanned: 8,
      completedAt: '2026-05-01T18:00:00+02:00',
    };
    expect(projectEvent(ev('course.participant-completed', base)).map((o) => o.table)).toEqual([
      'course_enrolments',
    ]);
    expect(
      projectEvent(ev('course.participant-completed', { ...base, child: {} })).map((o) => o.table),
    ).toEqual(['course_enrolments', 'child_timeline']);
  });

  it('types reporting does not project give nothing', () => {
    expect(projectEvent(ev('consent.granted', {}))).toEqual([]);
  });

  it('PROJECTED_TYPES names exactly the types that give rows', () => {
    const events = [filed, assessed, decided].concat(
      [
        'intervention.started',
        'intervention.ended',
        'course.scheduled',
        'course.completed',
        'course.participant-enrolled',
        'course.participant-waitlisted',
        'course.participant-withdrawn',
        'course.participant-completed',
        'school-absence.flagged',
        'course.attendance-recorded',
        'course.places-available',
        'consent.granted',
        'consent.withdrawn',
        'intervention.referred',
      ].map((type) => ev(type, { child: { role: 'child' }, participant: { role: 'child' } })),
    );
    for (const event of events) {
      expect([event.type, projectEvent(event).length > 0]).toEqual([
        event.type,
        PROJECTED_TYPES.has(event.type),
      ]);
    }
    expect(PROJECTED_TYPES.size).toBe(12);
  });
});

describe('ProjectionBatch', () => {
  it('merges rows per key: later values win, absent ones keep, "least" keeps the earliest', () => {
    const batch = new ProjectionBatch();
    batch.add([
      {
        table: 'child_timeline',
        row: {
          kind: 'concern-report',
          ref_id: REPORT,
          pseudonym: 'p',
          municipality: '0781',
          occurred_at: '2026-03-02T10:00:00Z',
          preventive: false,
        },
      },
      {
        table: 'child_timeline',
        row: {
          kind: 'concern-report',
          ref_id: REPORT,
          pseudonym: 'p',
          municipality: '0781',
          occurred_at: '2026-03-01T10:00:00Z',
          preventive: false,
        },
      },
    ]);
    const queries: Array<{ sql: string; parameters?: unknown[] }> = [];
    return batch
      .flush({ query: async (sql, parameters) => void queries.push({ sql, parameters }) })
      .then((written) => {
        expect(written).toBe(1);
        expect(queries).toHaveLength(1);
        expect(queries[0].parameters![4]).toEqual(['2026-03-01T10:00:00Z']);
        expect(batch.pendingRows).toBe(0);
      });
  });

  it('flushes rows in the order upsertStatement sorts them into (key column by column)', async () => {
    const rows = ['b', 'a', 'c'].flatMap((last, i) =>
      ['course-enrolled', 'concern-report', 'course-enrolled-late'].map((kind) => ({
        kind,
        ref_id: `00000000-0000-4000-8000-00000000000${last}`,
        pseudonym: `p${i}`,
        municipality: '0781',
        occurred_at: '2026-03-01T10:00:00Z',
        preventive: false,
      })),
    );
    const batch = new ProjectionBatch();
    batch.add(rows.map((row) => ({ table: 'child_timeline' as const, row })));
    const queries: unknown[][] = [];
    await batch.flush({ query: async (_sql, parameters) => void queries.push(parameters!) });
    expect(queries[0]).toEqual(upsertStatement('public', 'child_timeline', rows).parameters);
    expect((queries[0][0] as string[]).slice(0, 4)).toEqual([
      'concern-report',
      'concern-report',
      'concern-report',
      'course-enrolled',
    ]);
  });

  it('the upsert coalesces, takes LEAST where asked, and targets the given schema', () => {
    const { sql } = upsertStatement('reporting_rebuild', 'child_timeline', []);
    expect(sql).toContain('INSERT INTO "reporting_rebuild"."child_timeline"');
    expect(sql).toContain('occurred_at = LEAST(t.occurred_at, EXCLUDED.occurred_at)');
    expect(sql).toContain('pseudonym = COALESCE(EXCLUDED.pseudonym, t.pseudonym)');
    expect(sql).toContain('$4::character(4)[]');
  });
});
