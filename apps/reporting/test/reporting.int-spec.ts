import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import type { CloudEvent, OrganisationUnit } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import request from 'supertest';
import { rebuildProjections } from '../src/rebuild/rebuild.service';
import {
  fakePersonnummer,
  produceToReporting,
  reportingKafka,
  sourceEvent,
  startReporting,
  type ReportingUnderTest,
} from './reporting-test-kit';

jest.setTimeout(240_000);

// Every run uses its own district and a month far in the past, so its statistics cannot mix with
// other runs' events (the audience topic keeps everything) or with other tests' (which use today).
const run = randomUUID().slice(0, 8);
const DISTRICT = `it-${run}`;
const OTHER_DISTRICT = `it2-${run}`;
const YEAR = 1995 + randomInt(25);
const MONTH = String(1 + randomInt(12)).padStart(2, '0');
const M = `${YEAR}-${MONTH}`;
const PERIOD = { from: `${M}-01`, to: `${M}-28` };
const at = (day: number, time = '09:00:00') => `${M}-${String(day).padStart(2, '0')}T${time}+01:00`;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
const plusMonths = (iso: string, months: number) => {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
};

const SCHOOL = String(10_000_000 + randomInt(89_999_999));
const ifo = (district: string): OrganisationUnit => ({
  agency: 'social-services',
  unitCode: 'ifo-barn',
  municipality: '0781',
  district,
});
const reporterUnit: OrganisationUnit = { agency: 'education', unitCode: SCHOOL, municipality: '0781' };
let child = randomInt(200_000);
const nextChild = () => fakePersonnummer(child++);

function concernReport(
  personnummer: string,
  role: 'teacher' | 'principal' | 'school-nurse',
  categories: Array<'neglect' | 'school-absence'>,
  receivedAt: string,
  daysToDecision: number,
  district = DISTRICT,
): CloudEvent[] {
  const reportId = randomUUID();
  const childId = { personnummer };
  return [
    sourceEvent(
      'samverkan.concern-report.filed.v1',
      'education',
      {
        reportId,
        child: { personnummer, name: 'Test Barn' },
        reportingUnit: { schoolUnitCode: SCHOOL, municipality: '0781' },
        reporter: { role, name: 'Test Lärare', contact: { email: 'larare@example.se' } },
        categories,
        description: 'Fri text som aldrig får nå rapporteringen.',
        immediateDanger: false,
        filedAt: receivedAt,
      },
      receivedAt,
    ),
    sourceEvent(
      'samverkan.concern-report.protection-assessed.v1',
      'social-services',
      {
        reportId,
        child: childId,
        outcome: 'no-immediate-protection-needed',
        receivedAt,
        assessedAt: plusDays(receivedAt, 0.2),
        assessingUnit: ifo(district),
      },
      receivedAt,
    ),
    sourceEvent(
      'samverkan.concern-report.decided.v1',
      'social-services',
      {
        reportId,
        child: childId,
        outcome: 'investigation-not-opened',
        receivedAt,
        decidedAt: plusDays(receivedAt, daysToDecision),
        decidingUnit: ifo(district),
        reporterUnit,
      },
      receivedAt,
    ),
  ];
}

function intervention(
  personnummer: string,
  catalogCode: string,
  startedAt: string,
  schoolYear?: number,
  ended = false,
) {
  const interventionId = randomUUID();
  const organisationUnit: OrganisationUnit =
    catalogCode === 'mobila-teamet'
      ? { agency: 'education', unitCode: 'mobila', municipality: '0781', district: DISTRICT }
      : { ...ifo(DISTRICT) };
  const basis = catalogCode === 'familjebehandling' ? 'after-decision' : 'service-without-needs-assessment';
  const events: CloudEvent[] = [
    sourceEvent(
      'samverkan.intervention.started.v1',
      catalogCode === 'mobila-teamet' ? 'education' : 'social-services',
      {
        interventionId,
        child: { personnummer },
        catalogCode,
        basis,
        organisationUnit,
        startedAt,
        schoolYear,
      },
      startedAt,
    ),
  ];
  if (ended) {
    events.push(
      sourceEvent(
        'samverkan.intervention.ended.v1',
        'social-services',
        {
          interventionId,
          child: { personnummer },
          catalogCode,
          basis,
          organisationUnit,
          startedAt,
          endedAt: plusDays(startedAt, 10),
          reason: 'completed',
        },
        plusDays(startedAt, 10),
      ),
    );
  }
  return events;
}

const courseId = randomUUID();
const courseUnit: OrganisationUnit = {
  agency: 'leisure',
  unitCode: 'fritid-1',
  municipality: '0781',
  district: DISTRICT,
};

function courseEvents(completers: string[]): CloudEvent[] {
  const events: CloudEvent[] = [
    sourceEvent(
      'samverkan.course.scheduled.v1',
      'leisure',
      {
        courseId,
        catalogCode: 'abc',
        organisingUnit: courseUnit,
        capacity: 12,
        sessions: [1, 2, 3, 4].map((n) => ({ number: n, date: `${M}-0${n + 1}`, minutes: 150 })),
        language: 'sv',
        targetAges: { min: 3, max: 12 },
        scheduledAt: at(1),
      },
      at(1),
    ),
  ];
  for (const personnummer of completers) {
    const enrollmentId = randomUUID();
    const participant = { role: 'parent' as const, alias: 'Förälder' };
    events.push(
      sourceEvent(
        'samverkan.course.participant-enrolled.v1',
        'leisure',
        {
          courseId,
          enrollmentId,
          catalogCode: 'abc',
          participant,
          child: { personnummer },
          channel: 'self-registration',
          fromWaitlist: false,
          late: false,
          enrolledAt: at(1, '12:00:00'),
        },
        at(1, '12:00:00'),
      ),
      sourceEvent(
        'samverkan.course.participant-completed.v1',
        'leisure',
        {
          courseId,
          enrollmentId,
          catalogCode: 'abc',
          participant,
          child: { personnummer },
          sessionsAttended: 4,
          sessionsPlanned: 4,
          completedAt: at(6, '18:00:00'),
        },
        at(6, '18:00:00'),
      ),
    );
  }
  events.push(
    sourceEvent(
      'samverkan.course.completed.v1',
      'leisure',
      {
        courseId,
        catalogCode: 'abc',
        organisingUnit: courseUnit,
        summary: {
          capacity: 12,
          enrolled: 12,
          completed: 7,
          notCompleted: 0,
          withdrawn: 5,
          waitlisted: 5,
          sessionsHeld: 4,
          sessionsPlanned: 4,
        },
        completedAt: at(6, '18:00:00'),
      },
      at(6, '18:00:00'),
    ),
  );
  return events;
}

describe('reporting against the real stack', () => {
  let reporting: ReportingUnderTest;
  let analyst: string;
  const reportChildren: string[] = [];
  const completers: string[] = [];

  const get = (path: string, query: Record<string, string> = { district: DISTRICT, ...PERIOD }) =>
    request(reporting.app.getHttpServer()).get(path).query(query).set('Authorization', analyst);

  beforeAll(async () => {
    reporting = await startReporting(5);
    analyst = reporting.issuer.bearer(
      await reporting.issuer.mintFor({ agency: 'social-services', orgUnit: 'analys', roles: ['analyst'] }),
    );
    const events: CloudEvent[] = [];
    // 15 concern reports in month M: 7 from teachers, 2 from principals, 6 from school nurses;
    // 10 decided after 10 days, 5 after 20; 3 name school absence as well as neglect.
    const roles = [
      ...Array(7).fill('teacher'),
      ...Array(2).fill('principal'),
      ...Array(6).fill('school-nurse'),
    ];
    roles.forEach((role: 'teacher' | 'principal' | 'school-nurse', i) => {
      const pnr = nextChild();
      reportChildren.push(pnr);
      events.push(
        ...concernReport(
          pnr,
          role,
          i < 3 ? ['neglect', 'school-absence'] : ['neglect'],
          at(2 + (i % 20)),
          i < 10 ? 10 : 20,
        ),
      );
    });
    // Mobila teamet: 4 children in school year 7, 2 in year 8; familjebehandling: 5 started, 3 ended.
    [7, 7, 7, 7, 8, 8].forEach((year, i) =>
      events.push(...intervention(nextChild(), 'mobila-teamet', at(3 + i), year)),
    );
    [0, 1, 2, 3, 4].forEach((i) =>
      events.push(...intervention(nextChild(), 'familjebehandling', at(3 + i), undefined, i < 3)),
    );
    // Preventive starts (Komet, selective) for 3 children, and 7 children whose parent completed ABC.
    const komet = [nextChild(), nextChild(), nextChild()];
    komet.forEach((pnr, i) => events.push(...intervention(pnr, 'komet', at(4 + i))));
    for (let i = 0; i < 7; i++) completers.push(nextChild());
    events.push(...courseEvents(completers));
    // Within 24 months: a new report for 5 of the reported children and for 2 course children (in
    // another district, so the month statistics of DISTRICT do not change).
    for (const pnr of reportChildren.slice(0, 5)) {
      events.push(...concernReport(pnr, 'teacher', ['neglect'], plusMonths(at(10), 6), 5, OTHER_DISTRICT));
    }
    for (const pnr of completers.slice(0, 2)) {
      events.push(...concernReport(pnr, 'teacher', ['neglect'], plusMonths(at(10), 3), 5, OTHER_DISTRICT));
    }
    // After the window: does not count.
    events.push(
      ...concernReport(komet[0], 'teacher', ['neglect'], plusMonths(at(10), 30), 5, OTHER_DISTRICT),
    );
    await produceToReporting(events);
    await eventually(
      async () => {
        const res = await get('/statistics/courses');
        expect(res.body.rows?.[0]?.completed).toBe(7);
        const reports = await get('/statistics/concern-reports/handling');
        expect(reports.body.rows?.find((r: { month: string }) => r.month === 'total')?.decided).toBe(15);
        const [{ n }] = await reporting.dataSource.query(
          `SELECT count(*)::int AS n FROM concern_reports WHERE district = $1 AND decided_on IS NOT NULL`,
          [OTHER_DISTRICT],
        );
        expect(n).toBe(8);
      },
      { describe: 'reporting projected the test events', timeoutMs: 120_000, intervalMs: 500 },
    );
  });

  afterAll(async () => {
    await reporting?.close();
  });

  it('concern reports per month by reporter kind: small cells and their complements are suppressed', async () => {
    const res = await get('/statistics/concern-reports/by-reporter-kind').expect(200);
    expect(res.body).toMatchObject({ statistic: 'concern-reports-by-reporter-kind', k: 5 });
    const month = res.body.rows.find((r: { month: string }) => r.month === M);
    // principal = 2 is small; the smallest other cell (school-nurse = 6) goes with it.
    expect(month).toMatchObject({ teacher: 7, principal: null, 'school-nurse': null, total: 15 });
    expect(month.suppressed).toEqual(expect.arrayContaining(['principal', 'school-nurse']));
    expect(JSON.stringify(res.body)).not.toMatch(/"principal":2\b/);
  });

  it('by category: school absence (3) is suppressed, neglect (15) shown', async () => {
    const res = await get('/statistics/concern-reports/by-category').expect(200);
    const month = res.body.rows.find((r: { month: string }) => r.month === M);
    expect(month).toMatchObject({ neglect: 15, 'school-absence': null });
  });

  it('handling: same-day assessment, decided within 14 days, median days, feedback', async () => {
    const res = await get('/statistics/concern-reports/handling').expect(200);
    const total = res.body.rows.find((r: { month: string }) => r.month === 'total');
    expect(total).toMatchObject({
      reports: 15,
      assessed: 15,
      assessedSameDayShare: 1,
      decided: 15,
      decidedWithin14DaysShare: 0.6667,
      medianDaysToDecision: 10,
      withReporter: 15,
      feedbackShare: 1,
    });
  });

  it('CSV by ?format=csv and by Accept, suppressed cells as ".."', async () => {
    const csv = await get('/statistics/concern-reports/by-reporter-kind', {
      district: DISTRICT,
      ...PERIOD,
      format: 'csv',
    }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'month,teacher,principal,school-nurse,school-counsellor,preschool-teacher,other-staff,not-via-hub,total',
    );
    expect(lines).toContain(`${M},7,..,..,0,0,0,0,15`);
    const byAccept = await get('/statistics/courses').set('Accept', 'text/csv').expect(200);
    expect(byAccept.text.split('\r\n')[0]).toBe(
      'programme,district,courses,capacity,enrolled,fillRate,waitlisted,completed,completionRate,dropouts',
    );
    expect(byAccept.text).toContain(`abc,${DISTRICT},1,12,12,1,5,7,0.5833,5`);
  });

  it('interventions per code, basis and year; Mobila teamet per school year', async () => {
    const res = await get('/statistics/interventions').expect(200);
    expect(res.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          catalogCode: 'familjebehandling',
          basis: 'after-decision',
          year: YEAR,
          started: 5,
          ended: null,
        }),
        expect.objectContaining({ catalogCode: 'mobila-teamet', started: 6, ended: 0 }),
        expect.objectContaining({ catalogCode: 'komet', started: null }),
      ]),
    );
    const mobila = await get('/statistics/interventions/mobila-teamet').expect(200);
    expect(mobila.body.rows).toEqual([
      { schoolYear: '7', children: null, suppressed: ['children'] },
      { schoolYear: '8', children: null, suppressed: ['children'] },
      { schoolYear: 'total', children: 6 },
    ]);
  });

  it('courses: fill rate, waitlist, completion rate and dropouts per programme and district', async () => {
    const res = await get('/statistics/courses').expect(200);
    expect(res.body.rows).toEqual([
      {
        programme: 'abc',
        district: DISTRICT,
        courses: 1,
        capacity: 12,
        enrolled: 12,
        fillRate: 1,
        waitlisted: 5,
        completed: 7,
        completionRate: 0.5833,
        dropouts: 5,
      },
    ]);
  });

  it('two-year follow-up: index group vs comparison, small counts suppressed', async () => {
    const res = await get('/statistics/follow-up', PERIOD).expect(200);
    const [treated, comparison] = res.body.rows;
    // 7 course children + 3 Komet children; comparison: the 15 reported children and the 11 with
    // indicated interventions (Mobila teamet, familjebehandling), which are not preventive.
    expect(treated).toMatchObject({
      group: 'intervention-or-course',
      children: 10,
      withNewReport: null,
      shareWithNewReport: null,
    });
    expect(comparison).toMatchObject({
      group: 'comparison',
      children: 26,
      withNewReport: 5,
      shareWithNewReport: 0.1923,
    });
  });

  it('a follow-up cohort smaller than k is refused with COHORT_TOO_SMALL', async () => {
    // Days 7–28: only the Komet start on day 6 is out, the course completions (day 6) too: 2 Komet left.
    const res = await get('/statistics/follow-up', { from: `${M}-07`, to: `${M}-28` }).expect(422);
    expect(res.body.error).toBe('COHORT_TOO_SMALL');
  });

  it('401 without a token, 403 without the analyst role, /health public, 400 per invalid filter', async () => {
    const http = request(reporting.app.getHttpServer());
    await http.get('/statistics/courses').expect(401);
    const worker = await reporting.issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo',
      roles: ['social-worker'],
    });
    await http.get('/statistics/courses').set('Authorization', reporting.issuer.bearer(worker)).expect(403);
    await http.get('/health').expect(200);
    const bad = await get('/statistics/courses', { municipality: 'x', from: '2026-13-01' }).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'municipality']);
  });

  it('after a rebuild (while the app runs) every statistic is the same, and the schema has not drifted', async () => {
    const paths = [
      '/statistics/concern-reports/by-reporter-kind',
      '/statistics/concern-reports/by-category',
      '/statistics/concern-reports/handling',
      '/statistics/interventions',
      '/statistics/interventions/mobila-teamet',
      '/statistics/courses',
    ];
    const before = await Promise.all(paths.map((p) => get(p).then((r) => r.body)));
    const followUpBefore = (await get('/statistics/follow-up', PERIOD)).body;
    const progress: number[] = [];
    const summary = await rebuildProjections({
      kafka: reportingKafka(),
      dataSource: reporting.dataSource,
      onProgress: (p) => progress.push(p.done),
      progressIntervalMs: 100,
    });
    expect(summary.groupId).toMatch(/^reporting\.rebuild\./);
    expect(summary.events).toBeGreaterThanOrEqual(3 * 15);
    expect(progress.length).toBeGreaterThan(0);
    const after = await Promise.all(paths.map((p) => get(p).then((r) => r.body)));
    expect(after).toEqual(before);
    expect((await get('/statistics/follow-up', PERIOD)).body).toEqual(followUpBefore);
    const pending = await reporting.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    const [{ n }] = await reporting.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'reporting_rebuild'`,
    );
    expect(n).toBe(0);
  });
});
