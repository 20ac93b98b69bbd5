import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { addCalendarDays, instantOf, localDateOf } from '@samverkan/calendar';
import { audienceTopic, sourceTopic } from '@samverkan/contracts';
import { eventually, loadStackInfo } from '@samverkan/testing';
import { randomPnr } from '../../apps/leisure/test/support/leisure-test-kit';
import {
  call,
  collectTopics,
  type Json,
  REPO_ROOT,
  type RunningApp,
  startApp,
  uniqueName,
} from './support/hub-apps';

// Issue 4 end to end: leisure, the router and reporting, each its own process with its own principal
// and database, on the topology's real topics. Courses are scheduled, filled, waitlisted, withdrawn
// from (the first on the waitlist moves up) and attended over leisure's HTTP API; reporting's
// /statistics/courses must show the fill and completion rates that follow, with the small-count
// protection (k = 5) where it applies, the same after `reporting:rebuild`; and nothing the test
// used to identify a participant may reach samverkan.audience.reporting.
//
// Leisure runs on a clock pinned to a morning: its CLOCK_OFFSET (a development setting, refused in
// production) puts it at 08:00 Stockholm of the latest day whose 08:00 has passed, and the five
// sessions are that day from 18:00 to 21:10. So whatever the wall clock says, the course is scheduled
// and filled hours before its first session (enrolment closes once every session has started) and
// attendance is recorded on the sessions' date (attendance needs the date to have come, not the
// hour), and nothing crosses midnight. ÖPP has no interval between sessions and admits enrolment
// throughout, so five sessions the same evening are a valid course. (Before, the sessions were the
// real today at 23:50–23:54: a run that reached enrolment after 23:54, every session started, was
// refused with 409, and the rest of the run with it.) The offset is behind real time, never ahead,
// like the demo's, so leisure never dates an event at a time the other services have not reached;
// 08:00 is clear of the summer-time switch (02:00–03:00). The router and reporting keep real time: course statistics
// are asked for without a period, and reporting dates nothing here by its own clock.

jest.setTimeout(600_000);

// The development key of apps/router/local.env: routers on this stack share the router's database.
const ROUTER_KEY = 'samverkan-dev-router-pseudonym-key-not-a-secret';
const PROGRAMME = 'opp';
const SESSION_TIMES = ['18:00', '18:40', '19:20', '20:00', '20:40'];
const LEISURE_TIME = '08:00';

/** The latest LEISURE_TIME (Stockholm) at or before `now`: its date and how far behind `now` it is. */
function pinnedMorning(now: Date): { date: string; offsetMs: number } {
  let date = localDateOf(now);
  if (instantOf(date, LEISURE_TIME).getTime() > now.getTime()) date = addCalendarDays(date, -1);
  return { date, offsetMs: instantOf(date, LEISURE_TIME).getTime() - now.getTime() };
}

/** CLOCK_OFFSET's notation, in whole seconds: -15h55m12s. */
function clockOffset(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${ms < 0 ? '-' : '+'}${h}h${m}m${seconds % 60}s`;
}

interface Participant {
  personnummer?: string;
  alias?: string;
  contact?: { email?: string; phone?: string };
  child?: string;
}

describe('courses end to end (leisure → router → reporting statistics)', () => {
  let issuer: TestIssuer;
  let leisure: RunningApp;
  let router: RunningApp;
  let reporting: RunningApp;
  let toReporting: Awaited<ReturnType<typeof collectTopics>>;
  let fromLeisure: Awaited<ReturnType<typeof collectTopics>>;
  const run = uniqueName('e2e').slice(4);
  const unit = `kurs-${run}`;
  const districtShown = `a-${run}`;
  const districtSmall = `b-${run}`;
  const tokens: Record<string, string> = {};
  /** Every personnummer, alias and contact the test sends to leisure. */
  const identifying: string[] = [];
  const courseIds: string[] = [];
  /** Leisure's day (its clock starts at LEISURE_TIME on it); every session is on it. */
  const leisureDay = pinnedMorning(new Date());

  // A run's own phone numbers: 070- and seven digits.
  const phoneBase = String(randomInt(10_000)).padStart(4, '0');
  let n = 0;
  const participant = (withPnr: boolean): Participant => {
    n += 1;
    if (withPnr) {
      const p = { personnummer: randomPnr(1975, 15), child: randomPnr(2010, 3) };
      identifying.push(p.personnummer, p.personnummer.slice(2), p.child, p.child.slice(2));
      return p;
    }
    const p = {
      alias: `Förälder ${run} nr ${n}`,
      contact: {
        email: `deltagare-${run}-${n}@example.se`,
        phone: `070-${phoneBase}${String(n).padStart(3, '0')}`,
      },
    };
    identifying.push(p.alias, p.contact.email, p.contact.phone);
    return p;
  };

  const schedule = async (capacity: number, district: string): Promise<string> => {
    const res = await call(leisure, 'POST', '/courses', tokens.admin, {
      programmeCode: PROGRAMME,
      organisingUnit: unit,
      municipality: '0781',
      district,
      capacity,
      sessions: SESSION_TIMES.map((startTime, i) => ({
        number: i + 1,
        date: leisureDay.date,
        startTime,
        minutes: 30,
      })),
      language: 'sv',
      location: 'Fritidsgården',
      targetAges: { min: 13, max: 16 },
    });
    expect(res).toMatchObject({ status: 201, body: { basis: 'service-without-needs-assessment' } });
    courseIds.push(res.body.id);
    return res.body.id as string;
  };

  const enrol = async (courseId: string, p: Participant): Promise<Json> => {
    const res = await call(leisure, 'POST', `/courses/${courseId}/enrollments`, tokens.admin, {
      participant: {
        role: 'parent',
        ...(p.personnummer ? { personnummer: p.personnummer } : {}),
        ...(p.alias ? { alias: p.alias, contact: p.contact } : {}),
      },
      ...(p.child ? { child: { personnummer: p.child } } : {}),
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  const holders = async (courseId: string): Promise<string[]> => {
    const res = await call(leisure, 'GET', `/courses/${courseId}/enrollments`, tokens.admin);
    expect(res.status).toBe(200);
    return (res.body as Array<{ id: string; status: string }>)
      .filter((e) => e.status === 'enrolled')
      .map((e) => e.id);
  };

  /** Records every session; `attends(i)` of the i-th holder (in `order`) says how many of the five. */
  const attendAll = async (courseId: string, order: string[], attends: (i: number) => number) => {
    for (let session = 1; session <= SESSION_TIMES.length; session++) {
      const res = await call(
        leisure,
        'POST',
        `/courses/${courseId}/sessions/${session}/attendance`,
        tokens.admin,
        { participants: order.map((enrollmentId, i) => ({ enrollmentId, present: session <= attends(i) })) },
      );
      expect(res.status).toBe(200);
      expect(res.body.courseCompleted).toBe(session === SESSION_TIMES.length);
    }
  };

  const statistics = async () => {
    const res = await call(reporting, 'GET', `/statistics/courses?unit=${unit}`, tokens.analyst);
    expect(res.status).toBe(200);
    return res.body as { k: number; rows: Json[] };
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    tokens.admin = await issuer.mintFor({ agency: 'leisure', orgUnit: unit, roles: [ROLES.COURSE_ADMIN] });
    tokens.analyst = await issuer.mintFor({
      agency: 'operations',
      orgUnit: 'analys',
      roles: [ROLES.ANALYST],
    });
    toReporting = await collectTopics([audienceTopic('reporting')]);
    fromLeisure = await collectTopics([sourceTopic('leisure')]);
    [router, leisure, reporting] = await Promise.all([
      startApp('router', {
        issuer,
        env: { ROUTER_PSEUDONYM_KEY: ROUTER_KEY, ROUTER_INSTANCE_ID: uniqueName('courses-e2e-router') },
      }),
      startApp('leisure', {
        issuer,
        env: { PLACES_AVAILABLE_SWEEP_MINUTES: '0', CLOCK_OFFSET: clockOffset(leisureDay.offsetMs) },
      }),
      startApp('reporting', { issuer, env: { REPORTING_MIN_CELL_SIZE: '5' } }),
    ]);
  });

  afterAll(async () => {
    await toReporting?.close();
    await fromLeisure?.close();
    await Promise.all([router?.stop(), leisure?.stop(), reporting?.stop()]);
    await issuer?.cleanup();
  });

  it('scheduled, filled, waitlisted, withdrawn (promotion), attended → fill and completion rates in reporting, small counts suppressed', async () => {
    // District a: a full course of 6 with two on the waitlist, and a course of 10 with 4.
    const full = await schedule(6, districtShown);
    const half = await schedule(10, districtShown);
    const onFull: Json[] = [];
    for (let i = 0; i < 8; i++) onFull.push(await enrol(full, participant(i % 2 === 0)));
    expect(onFull.slice(0, 6).map((e) => e.status)).toEqual(Array(6).fill('enrolled'));
    expect(onFull.slice(6).map((e) => [e.status, e.position])).toEqual([
      ['waitlisted', 1],
      ['waitlisted', 2],
    ]);
    const seen = await call(leisure, 'GET', `/courses/${full}`, tokens.admin);
    expect(seen.body).toMatchObject({ enrolled: 6, waitlisted: 2, placesAvailable: 0 });

    // A withdrawal frees a place: the first on the waitlist moves up.
    const withdrawn = await call(
      leisure,
      'DELETE',
      `/courses/${full}/enrollments/${onFull[2].id}`,
      tokens.admin,
    );
    expect(withdrawn).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
    const afterWithdrawal = await call(leisure, 'GET', `/courses/${full}/enrollments`, tokens.admin);
    const byId = new Map((afterWithdrawal.body as Json[]).map((e) => [e.id, e]));
    expect(byId.get(onFull[6].id)).toMatchObject({ status: 'enrolled', fromWaitlist: true });
    expect(byId.get(onFull[7].id)).toMatchObject({ status: 'waitlisted', position: 1 });

    for (let i = 0; i < 4; i++) await enrol(half, participant(i % 2 === 1));

    // District b: a course of 8 with 3 participants (every count there is below k).
    const small = await schedule(8, districtSmall);
    for (let i = 0; i < 3; i++) await enrol(small, participant(i !== 1));

    // ÖPP completes with 3 of 5 sessions. Full: 4 of 6 complete; half: 2 of 4; small: all 3.
    const fullHolders = await holders(full);
    expect(fullHolders).toHaveLength(6);
    expect(fullHolders).toContain(onFull[6].id);
    await attendAll(full, fullHolders, (i) => (i < 4 ? 5 - (i % 3) : 2));
    await attendAll(half, await holders(half), (i) => (i < 2 ? 3 : 1));
    await attendAll(small, await holders(small), () => 4);
    const closed = await call(leisure, 'GET', `/courses/${full}`, tokens.admin);
    expect(closed.body).toMatchObject({
      status: 'completed',
      summary: { capacity: 6, enrolled: 7, completed: 4, notCompleted: 2, withdrawn: 1, waitlisted: 1 },
    });

    // District a: capacity 16, 7 + 4 = 11 held a place (the promoted one included), 6 completed,
    // 1 still waiting, 1 dropout. The fill rate 11/16 and completion rate 6/11 are shown (11, 6 and
    // 11 − 6 = 5 are all ≥ k); the waitlist and dropout counts of 1 are not. District b: 3 held a
    // place and 3 completed, so the enrolled and completed counts and both rates are suppressed.
    const expected = [
      {
        programme: PROGRAMME,
        district: districtShown,
        courses: 2,
        capacity: 16,
        enrolled: 11,
        fillRate: 0.6875,
        waitlisted: null,
        completed: 6,
        completionRate: 0.5455,
        dropouts: null,
        suppressed: ['waitlisted', 'dropouts'],
      },
      {
        programme: PROGRAMME,
        district: districtSmall,
        courses: 1,
        capacity: 8,
        enrolled: null,
        fillRate: null,
        waitlisted: 0,
        completed: null,
        completionRate: null,
        dropouts: 0,
        suppressed: ['enrolled', 'fillRate', 'completed', 'completionRate'],
      },
    ];
    const stats = await eventually(
      async () => {
        const table = await statistics();
        expect(table.rows).toEqual(expected);
        return table;
      },
      {
        describe: `reporting's course statistics for unit ${unit}`,
        timeoutMs: 120_000,
        intervalMs: 1000,
        dump: () => ({ router: router.output(), reporting: reporting.output() }),
      },
    );
    expect(stats.k).toBe(5);

    // The same in CSV: a suppressed cell is "..".
    const csv = await fetch(`${reporting.url}/statistics/courses?unit=${unit}&format=csv`, {
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines.find((l) => l.includes(districtShown))).toBe(
      `${PROGRAMME},${districtShown},2,16,11,0.6875,..,6,0.5455,..`,
    );
    expect(lines.find((l) => l.includes(districtSmall))).toBe(
      `${PROGRAMME},${districtSmall},1,8,..,..,0,..,..,0`,
    );
  });

  it('nothing on samverkan.audience.reporting carries a personnummer, alias or contact the test used', async () => {
    // The course events reached reporting's audience (so the check below is about real copies) ...
    const onAudience = () => toReporting.messages.filter((m) => courseIds.some((id) => m.value.includes(id)));
    await eventually(
      () => {
        const types = new Set(onAudience().map((m) => m.headers.ce_type));
        expect([...types].sort()).toEqual(
          expect.arrayContaining([
            'samverkan.course.attendance-recorded.v1',
            'samverkan.course.completed.v1',
            'samverkan.course.participant-completed.v1',
            'samverkan.course.participant-enrolled.v1',
            'samverkan.course.participant-waitlisted.v1',
            'samverkan.course.participant-withdrawn.v1',
            'samverkan.course.scheduled.v1',
          ]),
        );
      },
      { describe: 'the courses’ events on samverkan.audience.reporting', timeoutMs: 60_000 },
    );
    // ... and leisure did publish the identifying values to its own source topic (the router removed them).
    await eventually(
      () => {
        const source = fromLeisure.messages.map((m) => m.value).join('\n');
        // (Contacts stay in leisure's database: course events never carry them.)
        for (const value of identifying.filter((v) => /^\d{12}$/.test(v) || v.startsWith('Förälder')))
          expect(source).toContain(value);
      },
      { describe: 'the participants on samverkan.source.leisure', timeoutMs: 60_000 },
    );
    // Leisure acted on its pinned clock: every course was scheduled on the sessions' day, before the
    // first of them (what the run relies on, whatever the wall clock said).
    await eventually(
      () => {
        const scheduledAt = fromLeisure.messages
          .filter((m) => m.headers.ce_type === 'samverkan.course.scheduled.v1')
          .map((m) => JSON.parse(m.value) as { courseId: string; scheduledAt: string })
          .filter((d) => courseIds.includes(d.courseId))
          .map((d) => new Date(d.scheduledAt));
        expect(scheduledAt).toHaveLength(courseIds.length);
        const firstSession = instantOf(leisureDay.date, SESSION_TIMES[0]).getTime();
        for (const at of scheduledAt) {
          expect(localDateOf(at)).toBe(leisureDay.date);
          expect(at.getTime()).toBeLessThan(firstSession);
        }
      },
      { describe: 'the courses’ scheduled events on samverkan.source.leisure', timeoutMs: 60_000 },
    );
    expect(identifying.length).toBeGreaterThan(20);
    const everything = toReporting.messages
      .map((m) => `${m.key}\n${JSON.stringify(m.headers)}\n${m.value}`)
      .join('\n');
    for (const leak of identifying) expect(everything).not.toContain(leak);
  });

  it('the statistics are the same after `reporting:rebuild` (the CLI, while reporting runs)', async () => {
    const before = await statistics();
    const info = loadStackInfo();
    const principal = info.kafka.principals.reporting;
    const database = info.postgres.databases.reporting;
    let output = '';
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          resolve(REPO_ROOT, 'apps/reporting/src/rebuild/rebuild.main.ts'),
        ],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            TS_NODE_TRANSPILE_ONLY: 'true',
            KAFKA_BROKERS: info.kafka.brokers.join(','),
            KAFKA_USERNAME: principal.username,
            KAFKA_PASSWORD: principal.password,
            DATABASE_URL: database.url,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', fail);
      child.once('exit', (exitCode) => done(exitCode));
    });
    if (code !== 0) throw new Error(`reporting:rebuild exited with ${code}:\n${output.slice(-4000)}`);
    expect(output).toMatch(/rebuilt under group reporting\.rebuild\.\d+: \d+ events/);
    const after = await statistics();
    expect(after).toEqual(before);
    expect(after.rows.map((r) => r.district)).toEqual([districtShown, districtSmall]);
  });
});
