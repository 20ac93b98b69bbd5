/**
 * `npm run demo`: a realistic day against the running hub (start it first with `npm start`), over the
 * apps' own HTTP APIs with tokens of the local issuer (.local/auth). A backlog first: reports filed 16
 * days ago (through an education instance whose clock runs 16 days behind, see past-days.ts) that
 * nobody handled. Then today: schools file concern reports; social services assesses and decides,
 * within and past the deadlines; consents are given and one withdrawn; interventions start;
 * a leisure course is scheduled, fills, runs and completes (when apps/leisure is running); one poison
 * message arrives. At the end it says where in the operations console to look.
 *
 * Synthetic data only: invented names, personnummer with a valid check digit but random digits.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadOrCreateLocalSigningKey,
  mintToken,
  ROLES,
  type HubTokenClaims,
} from '@samverkan/auth';
import { catalogEntry, stockholmDateOf, type ConcernCategory } from '@samverkan/contracts';
import { discoverApps } from '../local/apps';
import { mintLocalOperatorToken, consoleUrl } from '../local/console-access';
import { localDir, stackFile } from '../local/paths';
import { readStackInfo } from '../local/stack-info';
import { startEducationInThePast } from './past-days';
import { producePoisonMessage } from './poison';
import { fakeChild, fakeName, fakePersonnummer, fakeSchoolUnit, type DemoChild } from './synthetic';

const STEPS = 9;
/** How far back the backlog was filed: past the 14-day decision deadline, whatever the weekday. */
const BACKLOG_OFFSET = '-16d';
const DAY_MS = 86_400_000;
let step = 0;
const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);
const heading = (title: string) => say(`(${++step}/${STEPS}) ${title}`);
const detail = (line: string) => say(`      ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface App {
  name: string;
  url: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Json = any;

async function call(
  app: App,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Json> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const json: Json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new HttpError(res.status, json, `${app.name} ${method} ${path}`);
  return json;
}

/** Polls until fn returns a value (not undefined) or the time is up. */
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(1_000);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? ` (last: ${last.message})` : ''}`);
}

async function healthy(app: App): Promise<boolean> {
  try {
    return (await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const info = readStackInfo(stackFile());
  if (!info) throw new Error(`no ${stackFile()}: start the hub first with \`npm start\``);
  const apps = new Map<string, App>(
    discoverApps().map((a) => [a.name, { name: a.name, url: `http://127.0.0.1:${a.port}` }]),
  );
  const up = new Map<string, boolean>();
  await Promise.all([...apps.values()].map(async (a) => up.set(a.name, await healthy(a))));
  say(`apps: ${[...apps.keys()].map((n) => `${n} ${up.get(n) ? 'up' : 'DOWN'}`).join(', ')}`);
  for (const required of ['education', 'social-services', 'router']) {
    if (!up.get(required))
      throw new Error(`${required} is not running (no healthy /health): start the hub with \`npm start\``);
  }
  const education = apps.get('education') as App;
  const social = apps.get('social-services') as App;
  const router = apps.get('router') as App;
  const leisure = up.get('leisure') ? apps.get('leisure') : undefined;
  const operations = up.get('operations') ? apps.get('operations') : undefined;

  const authDir = join(localDir(), 'auth');
  const { key } = await loadOrCreateLocalSigningKey(authDir);
  const mint = (claims: HubTokenClaims) =>
    mintToken(key, claims, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, expiresIn: '2h' });

  const schools = [fakeSchoolUnit(), fakeSchoolUnit(), fakeSchoolUnit()];
  const reporterTokens = await Promise.all(
    schools.map((unit) =>
      mint({ sub: `demo-teacher-${unit}`, agency: 'education', org_unit: unit, roles: [ROLES.REPORTER] }),
    ),
  );
  const consentAdmin = await mint({
    sub: 'demo-elevhalsa',
    agency: 'education',
    org_unit: schools[0],
    roles: [ROLES.CONSENT_ADMIN],
  });
  const studentHealth = await mint({
    sub: 'demo-kurator',
    agency: 'education',
    org_unit: schools[0],
    roles: ['student-health', ROLES.REPORTER],
  });
  const worker = await mint({
    sub: 'demo-socialsekreterare',
    agency: 'social-services',
    org_unit: 'ifo-barn-unga',
    roles: [ROLES.SOCIAL_WORKER],
  });
  // The disclosure search shows a data owner its own agency's records: the demo looks up the
  // consents education recorded.
  const dataOwner = await mint({
    sub: 'demo-dpo',
    agency: 'education',
    org_unit: 'dpo',
    roles: [ROLES.DATA_OWNER],
  });

  const fileReport = (
    app: App,
    school: number,
    child: DemoChild,
    p: { categories: ConcernCategory[]; danger: boolean },
  ): Promise<Json> =>
    call(
      app,
      'POST',
      '/concern-reports',
      reporterTokens[school],
      {
        child: { personnummer: child.personnummer, name: child.name },
        reportingUnit: { schoolUnitCode: schools[school] },
        reporter: {
          role: school % 2 ? 'teacher' : 'school-nurse',
          name: fakeName(),
          contact: { email: 'demo.personal@skola.example' },
        },
        categories: p.categories,
        description: 'Syntetisk demo-anmälan: eleven har berättat om oro hemma.',
        immediateDanger: p.danger,
      },
      { 'Idempotency-Key': `demo-${randomUUID()}` },
    );

  // ---------------------------------------------------------------------------------------------
  heading('Sixteen days ago: three reports were filed, and social services has not handled them yet');
  const backlog: Array<{ id: string; school: number; child: DemoChild }> = [];
  const past = await startEducationInThePast(info, authDir, BACKLOG_OFFSET);
  try {
    detail(
      `education at ${past.url} with CLOCK_OFFSET=${BACKLOG_OFFSET} (a demo-only setting; refused in production)`,
    );
    if (past.clockBanner)
      detail(`its boot warning: ${past.clockBanner.replace(/^.*?SIMULATED CLOCK/, 'SIMULATED CLOCK')}`);
    for (let i = 0; i < 3; i++) {
      const school = i % schools.length;
      const child = fakeChild(6, 15);
      const filed = await fileReport({ name: 'education (16 days ago)', url: past.url }, school, child, {
        categories: ['neglect'],
        danger: false,
      });
      // Guard: an education that dates reports by the system clock would make a backlog of today.
      if (Date.now() - Date.parse(filed.feedback.filedAt) < 15 * DAY_MS)
        throw new Error(
          `education filed report ${filed.id} at ${filed.feedback.filedAt}, not 16 days ago: it does not date reports by its Clock (CLOCK_OFFSET)`,
        );
      backlog.push({ id: filed.id, school, child });
      detail(
        `school ${schools[school]} filed report ${filed.id.slice(0, 8)} on ${String(filed.feedback.filedAt).slice(0, 16)}Z`,
      );
    }
  } finally {
    await past.stop();
  }
  detail('that instance is stopped again; everything from here on runs on real time');

  // ---------------------------------------------------------------------------------------------
  heading('Morning: three schools file concern reports (orosanmälningar)');
  const plan: Array<{ categories: ConcernCategory[]; danger: boolean }> = [
    { categories: ['neglect'], danger: false },
    { categories: ['neglect'], danger: false },
    { categories: ['physical-violence'], danger: true },
    { categories: ['neglect'], danger: false },
    { categories: ['neglect'], danger: false },
    { categories: ['neglect'], danger: false },
    { categories: ['sexual-abuse'], danger: false },
    { categories: ['neglect'], danger: false },
  ];
  const reports: Array<{ id: string; school: number; child: DemoChild }> = [];
  for (const [i, p] of plan.entries()) {
    const school = i % schools.length;
    const child = fakeChild(6, 15);
    const filed = await fileReport(education, school, child, p);
    reports.push({ id: filed.id, school, child });
    detail(
      `school ${schools[school]} filed report ${filed.id.slice(0, 8)} (${p.categories.join(', ')}${p.danger ? ', immediate danger' : ''})`,
    );
  }

  // ---------------------------------------------------------------------------------------------
  heading(
    'Social services: the reports arrive in the intake register (education → router → social services)',
  );
  const received = new Map<string, Json>();
  for (const r of [...backlog, ...reports]) {
    const item = await until(`report ${r.id} in the intake`, async () => {
      try {
        return await call(social, 'GET', `/concern-reports/${r.id}`, worker);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) return undefined;
        throw error;
      }
    });
    received.set(r.id, item);
  }
  detail(
    `all ${reports.length} of today's reports are in the intake, each with a protection-assessment and a 14-day decision deadline`,
  );
  for (const r of backlog) {
    const item = received.get(r.id);
    detail(
      `backlog report ${r.id.slice(0, 8)}: received ${String(item.receivedAt).slice(0, 10)}, assessment was due ${String(item.deadlines.protectionAssessmentDue).slice(0, 16)}Z, decision due ${String(item.deadlines.decisionDue).slice(0, 16)}Z → overdue: ${item.overdue.join(', ') || 'nothing'}`,
    );
  }

  // ---------------------------------------------------------------------------------------------
  heading('Social services assesses and decides');
  const outcomes = [
    'investigation-opened',
    'investigation-not-opened',
    'investigation-opened',
    'investigation-already-ongoing',
    'investigation-not-opened',
  ] as const;
  for (const [i, r] of reports.entries()) {
    if (i >= 6) {
      detail(
        `report ${r.id.slice(0, 8)}: not assessed yet — its protection-assessment deadline (today, or the next working day after office hours) is running`,
      );
      continue;
    }
    const violence = plan[i].categories.includes('physical-violence');
    await call(social, 'POST', `/concern-reports/${r.id}/protection-assessment`, worker, {
      outcome: violence ? 'immediate-protection-needed' : 'no-immediate-protection-needed',
      assessedAt: new Date().toISOString(),
    });
    if (i === 5) {
      detail(`report ${r.id.slice(0, 8)}: assessed; the decision is due within 14 days and left open`);
      continue;
    }
    const decision = violence ? 'investigation-opened' : outcomes[i % outcomes.length];
    await call(social, 'POST', `/concern-reports/${r.id}/decision`, worker, { decision });
    detail(
      `report ${r.id.slice(0, 8)}: assessed and decided within the deadline: ${decision}${violence ? ' (suspected violence opens an investigation directly)' : ''}`,
    );
  }
  // The backlog: one is handled today, late on both steps; one only assessed; one still untouched.
  const lateBy = (due: string, at: string) => ((Date.parse(at) - Date.parse(due)) / DAY_MS).toFixed(1);
  const [late, halfDone, untouched] = backlog;
  const lateAssessed = await call(
    social,
    'POST',
    `/concern-reports/${late.id}/protection-assessment`,
    worker,
    {
      outcome: 'no-immediate-protection-needed',
      assessedAt: new Date().toISOString(),
    },
  );
  const lateDecided = await call(social, 'POST', `/concern-reports/${late.id}/decision`, worker, {
    decision: 'investigation-not-opened',
  });
  detail(
    `backlog report ${late.id.slice(0, 8)}: assessed ${lateBy(lateAssessed.deadlines.protectionAssessmentDue, lateAssessed.protectionAssessment.assessedAt)} days and decided ${lateBy(lateDecided.deadlines.decisionDue, lateDecided.decision.decidedAt)} days PAST the deadlines: investigation-not-opened`,
  );
  const halfAssessed = await call(
    social,
    'POST',
    `/concern-reports/${halfDone.id}/protection-assessment`,
    worker,
    {
      outcome: 'no-immediate-protection-needed',
      assessedAt: new Date().toISOString(),
    },
  );
  detail(
    `backlog report ${halfDone.id.slice(0, 8)}: assessed ${lateBy(halfAssessed.deadlines.protectionAssessmentDue, halfAssessed.protectionAssessment.assessedAt)} days late; its decision is overdue (${halfAssessed.overdue.join(', ')})`,
  );
  detail(`backlog report ${untouched.id.slice(0, 8)}: still untouched; both steps overdue`);

  const overdue = await call(social, 'GET', '/intake?overdue=true&pageSize=100', worker);
  const overdueIds = new Set<string>(overdue.items.map((item: Json) => item.reportId));
  const ours = backlog.filter((r) => overdueIds.has(r.id));
  detail(
    `past deadlines now: GET /intake?overdue=true lists ${overdue.total} report(s), ${ours.length} of them from this run's backlog ` +
      `(${ours.map((r) => r.id.slice(0, 8)).join(', ')}); today's open reports are not overdue yet`,
  );
  const gauge = await overdueGauge(social);
  detail(
    `metric samverkan_intake_overdue on ${social.url}/metrics: protection-assessment ${gauge['protection-assessment'] ?? 'n/a'}, decision ${gauge.decision ?? 'n/a'}`,
  );

  // ---------------------------------------------------------------------------------------------
  heading('The reporting schools get feedback: only whether an investigation was opened');
  const decided = [...reports.slice(0, 5), late];
  for (const r of decided) {
    const report = await until(`feedback on report ${r.id}`, async () => {
      const res = await call(education, 'GET', `/concern-reports/${r.id}`, reporterTokens[r.school]);
      return res.feedback.status === 'awaiting' ? undefined : res;
    });
    detail(`school ${schools[r.school]} sees report ${r.id.slice(0, 8)}: ${report.feedback.status}`);
  }

  // ---------------------------------------------------------------------------------------------
  heading('Consents: guardians consent to sharing interventions; one consent is withdrawn later');
  const today = stockholmDateOf(new Date());
  const consentFor = async (child: DemoChild) =>
    call(education, 'POST', '/consents', consentAdmin, {
      child: { personnummer: child.personnummer },
      parties: ['education', 'social-services'],
      informationKinds: ['interventions'],
      purpose: 'coordinated-support',
      validFrom: today,
      validTo: `${new Date().getFullYear() + 1}-06-30`,
      grantedBy: 'both-guardians',
    });
  const consented = [reports[0].child, reports[3].child];
  const consents = [];
  for (const child of consented) {
    const c = await consentFor(child);
    consents.push(c);
    detail(
      `consent ${String(c.id).slice(0, 8)} recorded by school ${schools[0]} (education ↔ social services, interventions)`,
    );
  }
  // Give the router the consents before the interventions that depend on them.
  await until('the consents routed', async () => {
    const found = await call(router, 'POST', '/disclosures/search', dataOwner, {
      personnummer: consented[0].personnummer,
    });
    return found.deliveries?.some((d: Json) => d.eventType === 'samverkan.consent.granted.v1')
      ? found
      : undefined;
  });

  // ---------------------------------------------------------------------------------------------
  heading('Interventions start (shared with the school only under consent)');
  const start = (child: DemoChild, catalogCode: string, basis: string) =>
    call(social, 'POST', '/interventions', worker, {
      stage: 'started',
      catalogCode,
      basis,
      child: { personnummer: child.personnummer },
    });
  await start(reports[0].child, 'familjebehandling', 'after-decision');
  detail(
    `family treatment started for the child of report ${reports[0].id.slice(0, 8)} (investigation opened; consent → shared with the school)`,
  );
  await start(reports[3].child, 'icdp', 'service-without-needs-assessment');
  detail(
    `ICDP started for the child of report ${reports[3].id.slice(0, 8)} (consent → shared with the school)`,
  );
  await start(reports[1].child, 'rad-och-stodsamtal', 'service-without-needs-assessment');
  detail(
    `råd- och stödsamtal started for the child of report ${reports[1].id.slice(0, 8)} (no consent → the school learns nothing)`,
  );
  const shared = await until('the shared intervention in education', async () => {
    const res = await call(education, 'POST', '/shared-interventions/search', studentHealth, {
      personnummer: reports[3].child.personnummer,
    });
    return res.events.length > 0 ? res : undefined;
  }).catch(() => undefined);
  detail(
    `elevhälsa at school ${schools[0]} sees ${shared?.events.length ?? 0} shared intervention event(s) for that child`,
  );
  await call(education, 'DELETE', `/consents/${consents[1].id}`, consentAdmin);
  detail(`consent ${String(consents[1].id).slice(0, 8)} withdrawn by the guardians`);
  await until('the withdrawal routed', async () => {
    const found = await call(router, 'POST', '/disclosures/search', dataOwner, {
      personnummer: reports[3].child.personnummer,
    });
    return found.deliveries?.some((d: Json) => d.eventType === 'samverkan.consent.withdrawn.v1')
      ? found
      : undefined;
  }).catch(() => undefined);
  await start(reports[3].child, 'natverksmote', 'service-without-needs-assessment').catch((error: unknown) =>
    detail(`network meeting not recorded: ${error instanceof Error ? error.message : String(error)}`),
  );
  detail(
    "a network meeting for the same child after the withdrawal → withheld from the school (see the router's disclosure log)",
  );

  // ---------------------------------------------------------------------------------------------
  heading('Leisure: a parent course is scheduled, fills up, runs and completes');
  if (!leisure) {
    detail('apps/leisure is not running (or not built yet): skipping the course part');
  } else {
    await leisureDay(leisure, mint).catch((error: unknown) =>
      detail(`the leisure part stopped early: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  // ---------------------------------------------------------------------------------------------
  heading('A poison message arrives on samverkan.audience.social-services');
  const poison = await producePoisonMessage(info);
  detail(
    `a concern report with a broken personnummer check digit (event ${poison.eventId.slice(0, 8)}); the social-services consumer rejects it and dead-letters it`,
  );
  if (operations) {
    const operator = await mintLocalOperatorToken(authDir);
    const seen = await until(
      'the poison message among the dead letters',
      async () => {
        const res = await call(operations, 'GET', '/dead-letters/social-services?state=open', operator);
        return res.items.find((d: Json) => d.eventId === poison.eventId);
      },
      60_000,
    ).catch(() => undefined);
    detail(
      seen
        ? `dead letter ${seen.id}: ${seen.errorClass} (${seen.reason})`
        : 'not among the dead letters yet; look again in a moment',
    );
  }

  // ---------------------------------------------------------------------------------------------
  say('');
  say('Done. Where to look:');
  if (operations) {
    const token = await mintLocalOperatorToken(authDir);
    say(`  console (signed in): ${consoleUrl(Number(new URL(operations.url).port), token)}`);
    say("  Overview      every consumer group ok; the lag charts show today's traffic passing through");
    say(
      '  Dead letters  → social-services: the poison message (ContractViolation, masked payload); discard it with a reason',
    );
    say(
      '  Failure groups, Health (every app, outbox backlogs), Catalog (who gets which event), Audit log (your actions)',
    );
  } else {
    say('  apps/operations is not running: start the hub with `npm start` to see the console');
  }
  say(
    `  Past deadlines: GET ${social.url}/intake?overdue=true lists the backlog reports ${[halfDone, untouched].map((r) => r.id.slice(0, 8)).join(' and ')} (each item's "overdue" says which step)`,
  );
  say(`    with this social-worker token (local issuer, 2 h): ${worker}`);
  say(
    `    the count per step: ${social.url}/metrics → samverkan_intake_overdue{kind="protection-assessment"|"decision"}`,
  );
  say(
    `  social services' intake: GET ${social.url}/intake (another token: npx ts-node scripts/mint-token.ts --agency social-services --org-unit ifo-barn-unga --roles social-worker)`,
  );
  say(
    `  disclosure log: POST ${router.url}/disclosures/search (role data-owner; answers with the records of the token's own agency)`,
  );
}

/** samverkan_intake_overdue by kind, from the app's Prometheus endpoint. */
async function overdueGauge(app: App): Promise<Record<string, number>> {
  const res = await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const out: Record<string, number> = {};
  for (const m of (await res.text()).matchAll(/^samverkan_intake_overdue\{kind="([a-z-]+)"\} (\d+)$/gm))
    out[m[1]] = Number(m[2]);
  return out;
}

/**
 * Start times (HH:MM, Stockholm) for `count` sessions later today, the first ten minutes from now, spaced
 * by the session length or closer when the evening is short; undefined when today has no room left.
 */
function sameDayStarts(count: number, minutesPerSession: number): string[] | undefined {
  const [hour, minute] = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date())
    .split(':')
    .map(Number);
  const first = hour * 60 + minute + 10;
  const gap = Math.min(minutesPerSession, Math.floor((23 * 60 + 59 - first) / count));
  if (gap < 1) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const at = first + i * gap;
    return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
  });
}

async function leisureDay(app: App, mint: (claims: HubTokenClaims) => Promise<string>): Promise<void> {
  const unit = 'fritid-demo';
  const admin = await mint({
    sub: 'demo-kursledare',
    agency: 'leisure',
    org_unit: unit,
    roles: [ROLES.COURSE_ADMIN],
  });
  const today = stockholmDateOf(new Date());
  // A programme whose manual sets no interval can run all its sessions later today, so the demo sees a
  // course complete; the weekly ones (Aktivt föräldraskap) are the fallback and complete weeks from now.
  // The first session starts a few minutes from now: a course whose sessions have all begun admits no
  // one (the late-enrolment rule), and attendance may be recorded on the day of a session.
  const candidates = ['aktiva-smabarnsforaldrar-1-4', 'aktivt-foraldraskap-3-12'];
  let course: Json;
  let sessions: Array<{ number: number; date: string; startTime: string; minutes: number }> = [];
  let programme = '';
  for (const code of candidates) {
    const entry = catalogEntry(code);
    if (!entry?.sessionPlan) continue;
    const plan = entry.sessionPlan;
    const weekly = plan.intervalDays?.min ?? 0;
    const sameDay = weekly ? undefined : sameDayStarts(plan.sessions, plan.minutesPerSession);
    if (!weekly && !sameDay) continue;
    sessions = Array.from({ length: plan.sessions }, (_, i) => ({
      number: i + 1,
      date: weekly ? stockholmDateOf(new Date(Date.now() + (i + 1) * weekly * 86_400_000)) : today,
      startTime: sameDay ? sameDay[i] : '18:00',
      minutes: plan.minutesPerSession,
    }));
    try {
      course = await call(app, 'POST', '/courses', admin, {
        programmeCode: code,
        organisingUnit: unit,
        municipality: '0781',
        district: 'centrum',
        capacity: Math.min(entry.groupSize?.max ?? 8, 8),
        sessions,
        language: 'sv',
        location: 'Familjecentralen, samlingssalen',
        targetAges: entry.targetAges,
        basis: 'service-without-needs-assessment',
      });
      programme = entry.name;
      break;
    } catch (error) {
      detail(
        `${entry.name} could not be scheduled (${error instanceof Error ? error.message.slice(0, 160) : String(error)})`,
      );
    }
  }
  if (!course) throw new Error('no course could be scheduled');
  const places = Number(course.capacity ?? 8);
  detail(
    `course ${String(course.id).slice(0, 8)} scheduled: ${programme}, ${places} places, ${sessions.length} sessions`,
  );
  const enrolments: Json[] = [];
  for (let i = 0; i < places + 2; i++) {
    const e = await call(app, 'POST', `/courses/${course.id}/enrollments`, admin, {
      participant:
        i % 2 === 0
          ? { role: 'parent', personnummer: fakePersonnummer(1980 + i) }
          : { role: 'parent', alias: `Förälder ${i + 1}` },
    });
    enrolments.push(e);
  }
  const placed = enrolments.filter((e) => (e.status ?? e.state) !== 'waitlisted');
  detail(
    `${enrolments.length} parents signed up: ${placed.length} got a place, ${enrolments.length - placed.length} are on the waiting list`,
  );
  const leaving = placed[placed.length - 1];
  await call(app, 'POST', `/courses/${course.id}/enrollments/${leaving.id}/withdraw`, admin, {});
  detail('one parent withdrew; the first on the waiting list moves up');
  const current = await call(app, 'GET', `/courses/${course.id}/enrollments`, admin);
  const list: Json[] = Array.isArray(current) ? current : (current.items ?? current.enrollments ?? []);
  const holding = list.filter((e) => (e.status ?? e.state) === 'enrolled');
  let result: Json;
  let recorded = 0;
  for (const s of sessions.filter((x) => x.date <= today)) {
    result = await call(app, 'POST', `/courses/${course.id}/sessions/${s.number}/attendance`, admin, {
      participants: holding.map((e, i) => ({
        enrollmentId: e.id,
        present: !(i === 0 && s.number % 2 === 0),
      })),
    });
    recorded += 1;
  }
  detail(
    result?.courseCompleted
      ? `attendance recorded for all ${recorded} sessions: the course is completed and the completions are published`
      : `attendance recorded for ${recorded} session(s) held so far; the course completes after its last session (${sessions[sessions.length - 1].date})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[demo] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
