import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger, type INestApplication, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { addCalendarDays, endOfLocalDay, localDateOf } from '@samverkan/calendar';
import { validateEnv } from '@samverkan/config';
import {
  applyTransform,
  audienceTopic,
  createEvent,
  decide,
  decodeCloudEvent,
  NO_CONSENTS,
  sourceTopic,
  type CloudEvent,
  type ConcernCategory,
  type ConcernReportFiledV1,
} from '@samverkan/contracts';
import { AdjustableClock, AUTOVACUUM_OFF_WARNING, Clock, startService } from '@samverkan/platform';
import { createScratchDatabase, dropScratchDatabase, eventually, loadStackInfo } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SocialServicesEnv } from '../src/config/social-services.env';
import { investigationDueAt } from '../src/investigations/investigation-deadlines';
import type { InvestigationView } from '../src/investigations/investigation.dto';
import { SocialServicesModule } from '../src/social-services.module';
import {
  adminKafka,
  collectTopic,
  partitionCount,
  produceEvents,
  type CollectedMessage,
  type Kafka,
} from './support/kafka';
import { CHILD_PNR } from './support/validate-dto';

jest.setTimeout(240_000);

// One file boots the app: every instance joins the consumer group `social-services` (the only group
// the principal's ACL allows), so two files would split the partitions between their databases.

const AUDIENCE = audienceTopic('social-services');
const SOURCE = sourceTopic('social-services');
const OTHER_CHILD_PNR = '201203142383';
const SCHOOL_UNIT = '87654321';
const IFO_UNIT = 'ifo-barn-unga';

type Filed = CloudEvent<'samverkan.concern-report.filed.v1', ConcernReportFiledV1>;

function filedEvent(options: {
  filedAt: string;
  categories?: ConcernCategory[];
  personnummer?: string;
  reportId?: string;
}): Filed {
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject: `edu-${randomUUID()}`,
    municipality: '0781',
    legalbasis: 'duty-to-report',
    data: {
      reportId: options.reportId ?? randomUUID(),
      child: { personnummer: options.personnummer ?? CHILD_PNR, name: 'Testa Testsson' },
      reportingUnit: { schoolUnitCode: SCHOOL_UNIT, municipality: '0781' },
      reporter: { role: 'teacher', name: 'Lärare Larsson', contact: { email: 'larare@skola.example' } },
      categories: options.categories ?? ['neglect'],
      description: 'Beskrivning som aldrig får lämna socialtjänsten.',
      immediateDanger: false,
      filedAt: options.filedAt,
    },
  });
}

/** A valid 12-digit personnummer for a date in 2015 (Luhn digit computed), distinct per `n` < 9000. */
function personnummerFor(n: number): string {
  const body = `150612${String(1000 + n)
    .padStart(4, '0')
    .slice(-3)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return `20${body}${(10 - (sum % 10)) % 10}`;
}

/** A report with its id and the same event delivered again, as a redelivery would. */
const withId = (event: Filed, id: string): Filed => ({ ...event, id });

/** Records every log line the app writes, at every level; prints only warnings and errors. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly console = new ConsoleLogger('', { logLevels: ['error', 'warn'] });
  private record(level: string, message: unknown, params: unknown[]): void {
    this.lines.push(
      [level, message, ...params].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '),
    );
  }
  log(message: unknown, ...params: unknown[]): void {
    this.record('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.record('error', message, params);
    this.console.error(message, ...params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.record('warn', message, params);
    this.console.warn(message, ...params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.record('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.record('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.record('fatal', message, params);
    this.console.fatal(message, ...params);
  }
}

interface Parsed {
  type: string;
  headers: Record<string, string>;
  key: string;
  data: Record<string, unknown>;
}

/** A consent between social services and education about interventions (no name: none is passed on). */
const CONSENT = {
  child: { personnummer: CHILD_PNR },
  parties: ['social-services', 'education'],
  informationKinds: ['interventions'],
  purpose: 'coordinated-support',
  validFrom: '2026-11-01',
  validTo: '2027-06-30',
  grantedBy: 'both-guardians',
};

/** A participant in a service without a needs assessment: no child, nothing published. */
const ANONYMOUS_START = {
  stage: 'started',
  catalogCode: 'rad-och-stodsamtal',
  basis: 'service-without-needs-assessment',
};

describe('apps/social-services against the real stack', () => {
  let kafka: Kafka;
  let issuer: TestIssuer;
  let dbUrl: string;
  let app: INestApplication;
  let db: DataSource;
  let http: ReturnType<typeof request>;
  let source: { messages: CollectedMessage[]; close: () => Promise<void> };
  let worker: string;
  let reporter: string;
  let educationWorker: string;

  // Real time unless a test moves it (and puts it back).
  const clock = new AdjustableClock();
  // Every level recorded (for the personal-data check), only warnings and errors printed.
  const logger = new CapturingLogger();

  // Past reports (always overdue) and fresh ones (never overdue right away).
  // Friday 30 Oct 2026 18:00 is after hours; 31 Oct (Alla helgons dag) and 1 Nov are not working days.
  const overdue = filedEvent({ filedAt: '2026-10-30T18:00:00+01:00' });
  const fresh = filedEvent({ filedAt: new Date().toISOString(), personnummer: OTHER_CHILD_PNR });
  const violence = filedEvent({
    filedAt: new Date().toISOString(),
    categories: ['physical-violence', 'neglect'],
  });
  const sameReportNewEventId = withId(overdue, randomUUID());
  // Assessed and decided by several requests at once.
  const raced = filedEvent({ filedAt: new Date().toISOString() });
  // Assessed and decided together, one request each: their steps share statements.
  const together = Array.from({ length: 6 }, () => filedEvent({ filedAt: new Date().toISOString() }));

  const published = (): Parsed[] =>
    source.messages.map((m) => ({
      type: m.headers.ce_type,
      headers: m.headers,
      key: m.key,
      data: JSON.parse(m.value) as Record<string, unknown>,
    }));
  const publishedFor = (type: string, field: string, id: string) =>
    published().filter((m) => m.type === type && m.data[field] === id);

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const outboxCount = async () => Number((await db.query(`SELECT count(*) AS n FROM messaging_outbox`))[0].n);
  const intakeRows = (reportId: string) =>
    db.query<Array<Record<string, unknown>>>(`SELECT * FROM intake_items WHERE report_id = $1`, [reportId]);

  /** Everything delivered before this call has been processed: a marker on every partition has landed. */
  async function drainAudience(): Promise<void> {
    const partitions = await partitionCount(kafka, AUDIENCE);
    const markers = Array.from({ length: partitions }, (_, partition) => ({
      event: filedEvent({ filedAt: new Date().toISOString() }),
      partition,
    }));
    await produceEvents(kafka, AUDIENCE, markers);
    const ids = markers.map((m) => m.event.data.reportId);
    await eventually(
      async () => {
        const rows: unknown[] = await db.query(`SELECT 1 FROM intake_items WHERE report_id = ANY($1)`, [ids]);
        expect(rows).toHaveLength(partitions);
      },
      { describe: `a marker on each of the ${partitions} audience partitions in intake`, timeoutMs: 120_000 },
    );
  }

  async function overdueGauge(): Promise<Record<string, number>> {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const out: Record<string, number> = {};
    for (const m of res.text.matchAll(/^samverkan_intake_overdue\{kind="([a-z-]+)"\} (\d+)$/gm)) {
      out[m[1]] = Number(m[2]);
    }
    return out;
  }

  beforeAll(async () => {
    const info = loadStackInfo();
    const principal = info.kafka.principals['social-services'];
    kafka = adminKafka();
    issuer = await createTestIssuer();
    dbUrl = await createScratchDatabase('social_services');
    const env = validateEnv(SocialServicesEnv, {
      KAFKA_BROKERS: info.kafka.brokers.join(','),
      KAFKA_USERNAME: principal.username,
      KAFKA_PASSWORD: principal.password,
      DATABASE_URL: dbUrl,
      MUNICIPALITY: '0781',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [SocialServicesModule.forRoot(env, { auth: issuer.config })],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication({ logger });
    await startService(app, { name: 'social-services', description: 'test', port: 0 });
    db = app.get(DataSource);
    http = request(app.getHttpServer());
    source = await collectTopic(kafka, SOURCE);
    worker = await issuer.mintFor({ agency: 'social-services', orgUnit: IFO_UNIT, roles: ['social-worker'] });
    reporter = await issuer.mintFor({ agency: 'social-services', orgUnit: IFO_UNIT, roles: ['reporter'] });
    educationWorker = await issuer.mintFor({
      agency: 'education',
      orgUnit: SCHOOL_UNIT,
      roles: ['social-worker'],
    });

    // The router's delivery, at least once: the overdue report twice under one event id and once
    // more under a new event id (a replay), then a fresh report and one about violence.
    await produceEvents(kafka, AUDIENCE, [
      { event: overdue },
      { event: overdue },
      { event: sameReportNewEventId },
      { event: fresh },
      { event: violence },
      { event: raced },
      ...together.map((event) => ({ event })),
    ]);
    await drainAudience();
  });

  afterAll(async () => {
    await source?.close();
    await app?.close();
    if (dbUrl) await dropScratchDatabase(dbUrl);
    await issuer?.cleanup();
  });

  describe('intake', () => {
    it('registers a report delivered three times exactly once, with the deadlines from the working-day calendar', async () => {
      const rows = await intakeRows(overdue.data.reportId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        event_id: overdue.id,
        child_personnummer: CHILD_PNR,
        violence_suspected: false,
      });
      expect((rows[0].received_at as Date).toISOString()).toBe('2026-10-30T17:00:00.000Z');
      expect(rows[0].received_outside_office_hours).toBe(true);
      // Assessment: next working day, Monday 2 Nov, end of day in Stockholm; decision: 13 Nov.
      expect((rows[0].protection_assessment_due as Date).toISOString()).toBe('2026-11-02T22:59:59.999Z');
      expect((rows[0].decision_due as Date).toISOString()).toBe('2026-11-13T22:59:59.999Z');
      const inbox: unknown[] = await db.query(
        `SELECT event_id FROM messaging_inbox WHERE consumer_group = 'social-services' AND event_id = ANY($1)`,
        [[overdue.id, sameReportNewEventId.id]],
      );
      // Both event ids were processed; only the first had an effect.
      expect(inbox).toHaveLength(2);
    });

    it('registers a run of reports in one go: one subject per child, new or known, every report once', async () => {
      const stamp = Number(randomBytes(2).readUInt16BE(0) % 800);
      const [a, b] = [personnummerFor(stamp), personnummerFor(stamp + 1)];
      const now = new Date().toISOString();
      const run = [a, a, b, CHILD_PNR, b].map((personnummer) => filedEvent({ filedAt: now, personnummer }));
      // One partition, one produce: the consumer gets them as one run for the batch handler.
      await produceEvents(
        kafka,
        AUDIENCE,
        run.map((event) => ({ event, partition: 0 })),
      );
      await drainAudience();
      const rows: Array<{ report_id: string; subject: string; child_personnummer: string }> = await db.query(
        `SELECT report_id::text, subject::text, child_personnummer FROM intake_items WHERE report_id = ANY($1)`,
        [run.map((e) => e.data.reportId)],
      );
      expect(rows).toHaveLength(run.length);
      const subjects: Array<{ personnummer: string; subject: string }> = await db.query(
        `SELECT personnummer, subject::text FROM child_subjects WHERE personnummer = ANY($1)`,
        [[a, b, CHILD_PNR]],
      );
      expect(subjects.map((s) => s.personnummer).sort()).toEqual([a, b, CHILD_PNR].sort());
      const subjectOf = new Map(subjects.map((s) => [s.personnummer, s.subject]));
      for (const row of rows) expect(row.subject).toBe(subjectOf.get(row.child_personnummer));
      expect(new Set(subjects.map((s) => s.subject)).size).toBe(3);
    });

    it('lists overdue items only with ?overdue=true, and fresh ones without', async () => {
      const all: Array<{ reportId: string; overdue: string[] }> = [];
      for (let page = 1; ; page++) {
        const res = await http
          .get('/intake')
          .query({ overdue: 'true', page, pageSize: 100 })
          .set(auth(worker));
        expect(res.status).toBe(200);
        all.push(...res.body.items);
        if (page * 100 >= res.body.total) break;
      }
      const mine = all.find((i) => i.reportId === overdue.data.reportId);
      expect(mine?.overdue).toEqual(['protection-assessment', 'decision']);
      expect(all.map((i) => i.reportId)).not.toContain(fresh.data.reportId);
      expect(all.every((i) => i.overdue.length > 0)).toBe(true);

      const notOverdue = await request(app.getHttpServer())
        .get('/intake')
        .query({ overdue: 'false', pageSize: 100 })
        .set(auth(worker))
        .expect(200);
      expect(notOverdue.body.items.map((i: { reportId: string }) => i.reportId)).toEqual(
        expect.arrayContaining([fresh.data.reportId]),
      );
    });

    it('a report received today is listed overdue, and counted, once its deadlines have passed (the service clock moved 15 days)', async () => {
      const today = filedEvent({ filedAt: new Date().toISOString() });
      await produceEvents(kafka, AUDIENCE, [{ event: today }]);
      await eventually(async () => expect(await intakeRows(today.data.reportId)).toHaveLength(1), {
        describe: 'the report in intake',
        timeoutMs: 60_000,
      });
      const overdueIds = async () => {
        const res = await http
          .get('/intake')
          .query({ overdue: 'true', pageSize: 100 })
          .set(auth(worker))
          .expect(200);
        return res.body.items as Array<{ reportId: string; overdue: string[] }>;
      };
      expect((await overdueIds()).map((i) => i.reportId)).not.toContain(today.data.reportId);
      try {
        clock.advance(15 * 86_400_000);
        const listed = await overdueIds();
        expect(listed.find((i) => i.reportId === today.data.reportId)?.overdue).toEqual([
          'protection-assessment',
          'decision',
        ]);
        const gauge = await overdueGauge();
        expect(gauge['protection-assessment']).toBe(
          listed.filter((i) => i.overdue.includes('protection-assessment')).length,
        );
        expect(gauge.decision).toBe(listed.filter((i) => i.overdue.includes('decision')).length);
        const detail = await http
          .get(`/concern-reports/${today.data.reportId}`)
          .set(auth(worker))
          .expect(200);
        expect(detail.body.overdue).toEqual(['protection-assessment', 'decision']);
      } finally {
        clock.reset();
      }
      expect((await overdueIds()).map((i) => i.reportId)).not.toContain(today.data.reportId);
    });

    it('paginates', async () => {
      const first = await request(app.getHttpServer())
        .get('/intake')
        .query({ pageSize: 2 })
        .set(auth(worker))
        .expect(200);
      expect(first.body).toMatchObject({ page: 1, pageSize: 2 });
      expect(first.body.items).toHaveLength(2);
      expect(first.body.total).toBeGreaterThanOrEqual(3);
      const second = await request(app.getHttpServer())
        .get('/intake')
        .query({ pageSize: 2, page: 2 })
        .set(auth(worker))
        .expect(200);
      const ids = (r: request.Response) => r.body.items.map((i: { reportId: string }) => i.reportId);
      expect(ids(second).filter((id: string) => ids(first).includes(id))).toEqual([]);
    });

    it("finds a child's reports by a personnummer in the body (10 or 12 digits), 400 for an invalid one", async () => {
      const res = await request(app.getHttpServer())
        .post('/intake/search')
        .set(auth(worker))
        .send({ personnummer: '120314-2383' })
        .expect(200);
      expect(res.body.items.map((i: { reportId: string }) => i.reportId)).toEqual(
        expect.arrayContaining([fresh.data.reportId]),
      );
      expect(
        res.body.items.every(
          (i: { child: { personnummer: string } }) => i.child.personnummer === OTHER_CHILD_PNR,
        ),
      ).toBe(true);
      const bad = await request(app.getHttpServer())
        .post('/intake/search')
        .set(auth(worker))
        .send({ personnummer: '201203142384' })
        .expect(400);
      expect(bad.body.fields).toEqual([
        { field: 'personnummer', message: expect.stringContaining('check digit') },
      ]);
      expect(JSON.stringify(bad.body)).not.toContain('201203142384');
      await request(app.getHttpServer())
        .post('/intake/search')
        .send({ personnummer: OTHER_CHILD_PNR })
        .expect(401);
      await request(app.getHttpServer())
        .post('/intake/search')
        .set(auth(reporter))
        .send({ personnummer: OTHER_CHILD_PNR })
        .expect(403);
    });

    it('flags suspected violence: the investigation opens directly', async () => {
      const res = await request(app.getHttpServer())
        .get(`/concern-reports/${violence.data.reportId}`)
        .set(auth(worker))
        .expect(200);
      expect(res.body).toMatchObject({
        violenceSuspected: true,
        investigationOpensDirectly: true,
        overdue: [],
      });
      const other = await request(app.getHttpServer())
        .get(`/concern-reports/${fresh.data.reportId}`)
        .set(auth(worker))
        .expect(200);
      expect(other.body.investigationOpensDirectly).toBe(false);
    });
  });

  describe('protection assessment and decision', () => {
    it('the overdue gauge matches the listing, and drops by one when the assessment is made', async () => {
      const before = await overdueGauge();
      const listed = await request(app.getHttpServer())
        .get('/intake')
        .query({ overdue: 'true', pageSize: 100 })
        .set(auth(worker))
        .expect(200);
      const count = (kind: string) =>
        listed.body.items.filter((i: { overdue: string[] }) => i.overdue.includes(kind)).length;
      if (listed.body.total <= 100) {
        expect(before['protection-assessment']).toBe(count('protection-assessment'));
        expect(before.decision).toBe(count('decision'));
      }
      expect(before['protection-assessment']).toBeGreaterThanOrEqual(1);

      const assessedAt = new Date().toISOString();
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${overdue.data.reportId}/protection-assessment`)
        .set(auth(worker))
        .send({ outcome: 'no-immediate-protection-needed', assessedAt, note: 'Anteckning som stannar här.' })
        .expect(200);
      expect(res.body.protectionAssessment).toEqual({
        outcome: 'no-immediate-protection-needed',
        assessedAt,
      });
      expect(res.body.overdue).toEqual(['decision']);
      const after = await overdueGauge();
      expect(after['protection-assessment']).toBe(before['protection-assessment'] - 1);
      expect(after.decision).toBe(before.decision);
    });

    it('publishes concern-report.protection-assessed.v1 on the source topic with CloudEvents headers, and no note', async () => {
      const [event] = await eventually(
        () => {
          const found = publishedFor(
            'samverkan.concern-report.protection-assessed.v1',
            'reportId',
            overdue.data.reportId,
          );
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'the assessment event on samverkan.source.social-services', timeoutMs: 60_000 },
      );
      const subject = event.headers.ce_subject;
      expect(event.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: 'samverkan.concern-report.protection-assessed.v1',
        ce_source: '/samverkan/social-services',
        ce_dataschema: 'urn:samverkan:schema:samverkan.concern-report.protection-assessed.v1',
        ce_municipality: '0781',
        'content-type': 'application/json',
      });
      expect(event.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(event.headers.ce_time))).toBe(false);
      // The subject is social services' opaque id for the child, also the key; never the personnummer.
      expect(subject).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.key).toBe(subject);
      expect(JSON.stringify(event.headers)).not.toContain(CHILD_PNR);
      expect(event.data).toEqual({
        reportId: overdue.data.reportId,
        child: { personnummer: CHILD_PNR, protectedIdentity: false },
        outcome: 'no-immediate-protection-needed',
        receivedAt: '2026-10-30T17:00:00.000Z',
        assessedAt: expect.any(String),
        assessingUnit: { agency: 'social-services', unitCode: IFO_UNIT, municipality: '0781' },
      });
      expect(JSON.stringify(event.data)).not.toContain('Anteckning');
    });

    it('refuses a second assessment with 409 INVALID_STATE', async () => {
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${overdue.data.reportId}/protection-assessment`)
        .set(auth(worker))
        .send({ outcome: 'immediate-protection-needed', assessedAt: new Date().toISOString() })
        .expect(409);
      expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.stringContaining('already') });
    });

    it('refuses a decision before the assessment with 409', async () => {
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${fresh.data.reportId}/decision`)
        .set(auth(worker))
        .send({ decision: 'investigation-not-opened' })
        .expect(409);
      expect(res.body.error).toBe('INVALID_STATE');
      expect((await intakeRows(fresh.data.reportId))[0].decided_at).toBeNull();
    });

    it('decides, publishing concern-report.decided.v1 with what the router needs to feed back to the reporter', async () => {
      const before = await overdueGauge();
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${overdue.data.reportId}/decision`)
        .set(auth(worker))
        .send({ decision: 'investigation-opened' })
        .expect(200);
      expect(res.body.decision).toEqual({ outcome: 'investigation-opened', decidedAt: expect.any(String) });
      expect(res.body.overdue).toEqual([]);
      expect((await overdueGauge()).decision).toBe(before.decision - 1);

      const [event] = await eventually(
        () => {
          const found = publishedFor(
            'samverkan.concern-report.decided.v1',
            'reportId',
            overdue.data.reportId,
          );
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'the decided event on samverkan.source.social-services', timeoutMs: 60_000 },
      );
      expect(event.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: '/samverkan/social-services',
        ce_municipality: '0781',
        'content-type': 'application/json',
      });
      expect(event.data).toEqual({
        reportId: overdue.data.reportId,
        child: { personnummer: CHILD_PNR, protectedIdentity: false },
        outcome: 'investigation-opened',
        receivedAt: '2026-10-30T17:00:00.000Z',
        decidedAt: res.body.decision.decidedAt,
        decidingUnit: { agency: 'social-services', unitCode: IFO_UNIT, municipality: '0781' },
        reporterUnit: { agency: 'education', unitCode: SCHOOL_UNIT, municipality: '0781' },
      });
      // Both events about the child share one subject, so they stay in order on one partition.
      const assessed = publishedFor(
        'samverkan.concern-report.protection-assessed.v1',
        'reportId',
        overdue.data.reportId,
      );
      expect(event.headers.ce_subject).toBe(assessed[0].headers.ce_subject);

      const overdueNow = await request(app.getHttpServer())
        .get('/intake')
        .query({ overdue: 'true', pageSize: 100 })
        .set(auth(worker))
        .expect(200);
      expect(overdueNow.body.items.map((i: { reportId: string }) => i.reportId)).not.toContain(
        overdue.data.reportId,
      );
    });

    it('refuses a second decision with 409 and publishes nothing more', async () => {
      const outbox = await outboxCount();
      await request(app.getHttpServer())
        .post(`/concern-reports/${overdue.data.reportId}/decision`)
        .set(auth(worker))
        .send({ decision: 'investigation-not-opened' })
        .expect(409);
      expect(await outboxCount()).toBe(outbox);
      expect((await intakeRows(overdue.data.reportId))[0].decision).toBe('investigation-opened');
    });

    it('answers 404 for a report that is not in the intake', async () => {
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${randomUUID()}/protection-assessment`)
        .set(auth(worker))
        .send({ outcome: 'immediate-protection-needed', assessedAt: new Date().toISOString() })
        .expect(404);
      expect(res.body.error).toBe('NOT_FOUND');
    });
    it('steps on several reports at once: each recorded with its own values, one event each, investigations only where opened', async () => {
      const ids = together.map((e) => e.data.reportId);
      const outbox = await outboxCount();
      const assessedAt = ids.map((_, i) => new Date(Date.now() - i).toISOString());
      const assessed = await Promise.all(
        ids.map((id, i) =>
          request(app.getHttpServer())
            .post(`/concern-reports/${id}/protection-assessment`)
            .set(auth(worker))
            .send({
              outcome: i % 2 === 0 ? 'immediate-protection-needed' : 'no-immediate-protection-needed',
              assessedAt: assessedAt[i],
              note: `Anteckning ${i}`,
            }),
        ),
      );
      expect(assessed.map((res) => res.status)).toEqual(ids.map(() => 200));
      const decisions = ids.map((_, i) =>
        i % 3 === 0 ? 'investigation-opened' : 'investigation-not-opened',
      );
      const decided = await Promise.all(
        ids.map((id, i) =>
          request(app.getHttpServer())
            .post(`/concern-reports/${id}/decision`)
            .set(auth(worker))
            .send({ decision: decisions[i] }),
        ),
      );
      expect(decided.map((res) => res.status)).toEqual(ids.map(() => 200));
      expect(await outboxCount()).toBe(outbox + 2 * ids.length);
      for (const [i, id] of ids.entries()) {
        const [row] = await intakeRows(id);
        expect(row).toMatchObject({
          assessment_outcome: i % 2 === 0 ? 'immediate-protection-needed' : 'no-immediate-protection-needed',
          assessment_note: `Anteckning ${i}`,
          decision: decisions[i],
        });
        expect((row.assessed_at as Date).toISOString()).toBe(assessedAt[i]);
        expect(assessed[i].body.reportId).toBe(id);
        const opened: unknown[] = await db.query(`SELECT 1 FROM investigations WHERE report_id = $1`, [id]);
        expect(opened).toHaveLength(decisions[i] === 'investigation-opened' ? 1 : 0);
      }
      await eventually(
        () => {
          for (const id of ids) {
            expect(
              publishedFor('samverkan.concern-report.protection-assessed.v1', 'reportId', id),
            ).toHaveLength(1);
            const [event] = publishedFor('samverkan.concern-report.decided.v1', 'reportId', id);
            expect(event?.data.outcome).toBe(decisions[ids.indexOf(id)]);
          }
        },
        { describe: 'one assessed and one decided event per report decided together', timeoutMs: 60_000 },
      );
    });

    it('concurrent requests for one step: one records it and publishes once, the others get 409', async () => {
      const outbox = await outboxCount();
      const race = async (path: string, body: object) => {
        const answers = await Promise.all(
          Array.from({ length: 8 }, () =>
            request(app.getHttpServer())
              .post(`/concern-reports/${raced.data.reportId}/${path}`)
              .set(auth(worker))
              .send(body),
          ),
        );
        return answers
          .map((res) => `${res.status} ${(res.body as { error?: string }).error ?? ''}`.trim())
          .sort();
      };
      const conflicts = Array.from({ length: 7 }, () => '409 INVALID_STATE');
      expect(
        await race('protection-assessment', {
          outcome: 'no-immediate-protection-needed',
          assessedAt: new Date().toISOString(),
        }),
      ).toEqual(['200', ...conflicts]);
      expect(await race('decision', { decision: 'investigation-opened' })).toEqual(['200', ...conflicts]);

      expect(await outboxCount()).toBe(outbox + 2);
      const [row] = await intakeRows(raced.data.reportId);
      expect(row).toMatchObject({
        assessment_outcome: 'no-immediate-protection-needed',
        decision: 'investigation-opened',
      });
      const investigations: unknown[] = await db.query(`SELECT 1 FROM investigations WHERE report_id = $1`, [
        raced.data.reportId,
      ]);
      expect(investigations).toHaveLength(1);
      await eventually(
        () => {
          for (const type of [
            'samverkan.concern-report.protection-assessed.v1',
            'samverkan.concern-report.decided.v1',
          ]) {
            expect(publishedFor(type, 'reportId', raced.data.reportId)).toHaveLength(1);
          }
        },
        { describe: 'one assessed and one decided event for the raced report', timeoutMs: 60_000 },
      );
    });
  });

  describe('invalid input: 400 per field, no row, no event', () => {
    it('assessment', async () => {
      const outbox = await outboxCount();
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${fresh.data.reportId}/protection-assessment`)
        .set(auth(worker))
        .send({ outcome: 'perhaps', assessedAt: '2026-13-01T10:00:00Z', note: 42 })
        .expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'assessedAt',
        'note',
        'outcome',
      ]);
      expect((await intakeRows(fresh.data.reportId))[0].assessed_at).toBeNull();
      expect(await outboxCount()).toBe(outbox);
    });

    it('an assessment dated before the report arrived or in the future', async () => {
      for (const assessedAt of ['2020-01-01T10:00:00Z', new Date(Date.now() + 3_600_000).toISOString()]) {
        const res = await request(app.getHttpServer())
          .post(`/concern-reports/${fresh.data.reportId}/protection-assessment`)
          .set(auth(worker))
          .send({ outcome: 'no-immediate-protection-needed', assessedAt })
          .expect(400);
        expect(res.body.fields).toEqual([{ field: 'assessedAt', message: expect.any(String) }]);
      }
      expect((await intakeRows(fresh.data.reportId))[0].assessed_at).toBeNull();
    });

    it('decision, and a path id that is not a UUID', async () => {
      const res = await request(app.getHttpServer())
        .post(`/concern-reports/${fresh.data.reportId}/decision`)
        .set(auth(worker))
        .send({ decision: 'opened' })
        .expect(400);
      expect(res.body.fields).toEqual([
        { field: 'decision', message: expect.stringContaining('investigation-opened') },
      ]);
      const bad = await request(app.getHttpServer())
        .post('/concern-reports/not-a-uuid/decision')
        .set(auth(worker))
        .send({ decision: 'investigation-opened' })
        .expect(400);
      expect(bad.body.fields).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });

    it('interventions and consents, each field named, the personnummer never echoed', async () => {
      const outbox = await outboxCount();
      const intervention = await request(app.getHttpServer())
        .post('/interventions')
        .set(auth(worker))
        .send({ stage: 'begun', catalogCode: 'nope', basis: 'whim', child: { personnummer: '201505152388' } })
        .expect(400);
      expect(intervention.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'basis',
        'catalogCode',
        'child.personnummer',
        'stage',
      ]);
      expect(JSON.stringify(intervention.body)).not.toContain('201505152388');
      const afterDecisionWithoutChild = await request(app.getHttpServer())
        .post('/interventions')
        .set(auth(worker))
        .send({ stage: 'started', catalogCode: 'familjebehandling', basis: 'after-decision' })
        .expect(400);
      expect(afterDecisionWithoutChild.body.fields).toEqual([
        { field: 'child.personnummer', message: expect.any(String) },
      ]);
      const consent = await request(app.getHttpServer())
        .post('/consents')
        .set(auth(worker))
        .send({
          child: { personnummer: CHILD_PNR },
          parties: ['education', 'leisure'],
          informationKinds: [],
          purpose: 'sip',
          validFrom: '2026-12-01',
          validTo: 'soon',
          grantedBy: 'both-guardians',
        })
        .expect(400);
      expect(consent.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'informationKinds',
        'parties',
        'validTo',
      ]);
      expect(await db.query(`SELECT id FROM interventions`)).toEqual([]);
      expect(await db.query(`SELECT id FROM consents`)).toEqual([]);
      expect(await outboxCount()).toBe(outbox);
    });
  });

  describe('investigations', () => {
    // The investigation the decision investigation-opened on `overdue` (above) opened.
    const opened = async (): Promise<InvestigationView> => {
      const res = await http
        .get('/investigations')
        .query({ reportId: overdue.data.reportId })
        .set(auth(worker))
        .expect(200);
      expect(res.body.total).toBe(1);
      return res.body.items[0] as InvestigationView;
    };
    const investigationRows = (id: string) =>
      db.query<Array<Record<string, unknown>>>(`SELECT * FROM investigations WHERE id = $1`, [id]);
    const overdueInvestigations = async (): Promise<number> => {
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      const m = /^samverkan_investigations_overdue (\d+)$/m.exec(res.text);
      expect(m).not.toBeNull();
      return Number(m![1]);
    };

    it('the decision investigation-opened opened one for the child, in its transaction, due four months later', async () => {
      const [report] = await intakeRows(overdue.data.reportId);
      const decidedAt = report.decided_at as Date;
      const inv = await opened();
      expect(inv).toMatchObject({
        reportId: overdue.data.reportId,
        trigger: 'concern-report',
        child: { personnummer: CHILD_PNR, protectedIdentity: false },
        unitCode: IFO_UNIT,
        openedAt: decidedAt.toISOString(),
        status: 'open',
        overdue: false,
        outcome: null,
        closedAt: null,
      });
      const due = investigationDueAt(decidedAt).toISOString();
      expect(inv.deadline).toEqual({ statutoryDue: due, due, extensions: [] });
      // Only that decision opened one: no other report in the intake has an investigation (but the
      // raced report, decided investigation-opened by its own test).
      const others: unknown[] = await db.query(
        `SELECT 1 FROM investigations WHERE report_id IS NOT NULL AND report_id <> ALL($1::uuid[])`,
        [[overdue.data.reportId, raced.data.reportId, ...together.map((e) => e.data.reportId)]],
      );
      expect(others).toHaveLength(0);
      const detail = await http.get(`/investigations/${inv.id}`).set(auth(worker)).expect(200);
      expect(detail.body).toEqual(inv);
    });

    it('is listed overdue and counted once the service clock passes the deadline; too late to extend then', async () => {
      const inv = await opened();
      expect(await overdueInvestigations()).toBe(0);
      const listed = async () =>
        (
          await http
            .get('/investigations')
            .query({ overdue: 'true', pageSize: 100 })
            .set(auth(worker))
            .expect(200)
        ).body as { items: InvestigationView[]; total: number };
      expect((await listed()).items.map((i) => i.id)).not.toContain(inv.id);
      clock.advance(Date.parse(inv.deadline.due) - Date.now() + 60_000);
      try {
        const now = await listed();
        expect(now.items.find((i) => i.id === inv.id)?.overdue).toBe(true);
        expect(await overdueInvestigations()).toBe(now.total);
        const late = await http
          .post(`/investigations/${inv.id}/extend`)
          .set(auth(worker))
          .send({ reason: 'complex-case', until: '2099-01-01' })
          .expect(409);
        expect(late.body).toEqual({
          error: 'INVALID_STATE',
          message: 'the deadline has passed; an extension must be decided before it',
        });
      } finally {
        clock.reset();
      }
      expect((await listed()).items.map((i) => i.id)).not.toContain(inv.id);
    });

    it('extends with a reason code and a new last day: the deadline in force moves, nothing is published', async () => {
      const inv = await opened();
      const outbox = await outboxCount();
      const until = addCalendarDays(localDateOf(new Date(inv.deadline.due)), 30);
      const bad = await http
        .post(`/investigations/${inv.id}/extend`)
        .set(auth(worker))
        .send({ reason: 'Pappan är bortrest', until: '2027-02-30' })
        .expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['reason', 'until']);
      expect(JSON.stringify(bad.body)).not.toContain('Pappan');
      const notLater = await http
        .post(`/investigations/${inv.id}/extend`)
        .set(auth(worker))
        .send({ reason: 'awaiting-expert-statement', until: localDateOf(new Date(inv.deadline.due)) })
        .expect(400);
      expect(notLater.body.fields).toEqual([
        { field: 'until', message: 'until must be after the current deadline' },
      ]);

      const res = await http
        .post(`/investigations/${inv.id}/extend`)
        .set(auth(worker))
        .send({ reason: 'awaiting-expert-statement', until })
        .expect(200);
      expect(res.body.deadline).toEqual({
        statutoryDue: inv.deadline.statutoryDue,
        due: endOfLocalDay(until).toISOString(),
        extensions: [
          {
            reason: 'awaiting-expert-statement',
            until,
            decidedAt: expect.any(String),
            decidedByUnit: IFO_UNIT,
          },
        ],
      });
      expect((await investigationRows(inv.id))[0].due_at).toEqual(endOfLocalDay(until));
      expect(await outboxCount()).toBe(outbox);
    });

    it('400 one message per field on close, nothing changed', async () => {
      const inv = await opened();
      const res = await http
        .post(`/investigations/${inv.id}/close`)
        .set(auth(worker))
        .send({ outcome: 'done', closedAt: 'yesterday', note: 'fritext' })
        .expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'closedAt',
        'note',
        'outcome',
      ]);
      const before = await http
        .post(`/investigations/${inv.id}/close`)
        .set(auth(worker))
        .send({ outcome: 'no-interventions', closedAt: '2020-01-01T10:00:00Z' })
        .expect(400);
      expect(before.body.fields).toEqual([
        { field: 'closedAt', message: 'closedAt must not be before the investigation was opened' },
      ]);
      expect((await investigationRows(inv.id))[0].closed_at).toBeNull();
    });

    it('closes: investigation.closed.v1 on the source topic, valid against the contract; reporting would get it pseudonymized only', async () => {
      const inv = await opened();
      const closedAt = new Date().toISOString();
      const res = await http
        .post(`/investigations/${inv.id}/close`)
        .set(auth(worker))
        .send({ outcome: 'interventions-decided', closedAt })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'closed', outcome: 'interventions-decided', overdue: false });

      const [message] = await eventually(
        () => {
          const found = source.messages.filter(
            (m) =>
              m.headers.ce_type === 'samverkan.investigation.closed.v1' &&
              (JSON.parse(m.value) as { investigationId: string }).investigationId === inv.id,
          );
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'investigation.closed.v1 on samverkan.source.social-services', timeoutMs: 60_000 },
      );
      // Decoding validates the envelope and the data against the contract class; it throws otherwise.
      const event = decodeCloudEvent(message.headers, message.value);
      expect(event.source).toBe('/samverkan/social-services');
      expect(event.data).toEqual({
        investigationId: inv.id,
        reportId: overdue.data.reportId,
        child: { personnummer: CHILD_PNR, protectedIdentity: false },
        outcome: 'interventions-decided',
        openedAt: inv.openedAt,
        closedAt: new Date(closedAt).toISOString(),
        investigatingUnit: { agency: 'social-services', unitCode: IFO_UNIT, municipality: '0781' },
      });
      // The child's subject: the same key as the report's events, never the personnummer.
      const decided = publishedFor('samverkan.concern-report.decided.v1', 'reportId', overdue.data.reportId);
      expect(message.key).toBe(decided[0].headers.ce_subject);
      expect(message.key).not.toContain(CHILD_PNR);

      // The router's policy (the pure functions it applies): reporting gets a pseudonymized copy, no other agency anything.
      expect(decide(event, 'education', NO_CONSENTS).outcome).toBe('withheld');
      const toReporting = decide(event, 'reporting', NO_CONSENTS);
      expect(toReporting.outcome).toBe('pseudonymized');
      const copy = applyTransform(event, toReporting, randomBytes(32))!;
      expect(JSON.stringify(copy)).not.toContain(CHILD_PNR);
      expect(copy.subject).not.toBe(event.subject);
      expect(copy.data).toMatchObject({ investigationId: inv.id, outcome: 'interventions-decided' });
    });

    it('closing twice is a 409 INVALID_STATE and publishes nothing more; so is extending a closed one', async () => {
      const inv = await opened();
      const outbox = await outboxCount();
      const again = await http
        .post(`/investigations/${inv.id}/close`)
        .set(auth(worker))
        .send({ outcome: 'no-interventions', closedAt: new Date().toISOString() })
        .expect(409);
      expect(again.body).toEqual({ error: 'INVALID_STATE', message: 'the investigation is already closed' });
      await http
        .post(`/investigations/${inv.id}/extend`)
        .set(auth(worker))
        .send({ reason: 'complex-case', until: '2099-01-01' })
        .expect(409);
      expect(await outboxCount()).toBe(outbox);
      expect((await investigationRows(inv.id))[0].outcome).toBe('interventions-decided');
    });

    it('404 for an unknown id, the same answer for every unknown id; 400 for an id that is not a UUID', async () => {
      const bodies = [];
      for (const id of [randomUUID(), randomUUID()]) {
        bodies.push((await http.get(`/investigations/${id}`).set(auth(worker)).expect(404)).body);
        bodies.push(
          (
            await http
              .post(`/investigations/${id}/close`)
              .set(auth(worker))
              .send({ outcome: 'no-interventions', closedAt: new Date().toISOString() })
              .expect(404)
          ).body,
        );
      }
      for (const body of bodies)
        expect(body).toEqual({ error: 'NOT_FOUND', message: 'Investigation not found' });
      await http.post('/investigations/nope/close').set(auth(worker)).send({}).expect(400);
    });

    it('POST /investigations opens one on an application (no report, nothing published); closing it publishes without a reportId', async () => {
      const outbox = await outboxCount();
      const res = await http
        .post('/investigations')
        .set(auth(worker))
        .send({ trigger: 'application', child: { personnummer: '120314-2383' } })
        .expect(201);
      expect(res.body).toMatchObject({
        trigger: 'application',
        reportId: null,
        child: { personnummer: OTHER_CHILD_PNR, protectedIdentity: false },
        status: 'open',
      });
      expect(res.body.deadline.due).toBe(investigationDueAt(new Date(res.body.openedAt)).toISOString());
      expect(await outboxCount()).toBe(outbox);
      const invalid = await http
        .post('/investigations')
        .set(auth(worker))
        .send({ trigger: 'concern-report', child: { personnummer: '201203142384' } })
        .expect(400);
      expect(invalid.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'child.personnummer',
        'trigger',
      ]);
      expect(JSON.stringify(invalid.body)).not.toContain('201203142384');

      await http
        .post(`/investigations/${res.body.id}/close`)
        .set(auth(worker))
        .send({ outcome: 'discontinued', closedAt: new Date().toISOString() })
        .expect(200);
      const [message] = await eventually(
        () => {
          const found = publishedFor('samverkan.investigation.closed.v1', 'investigationId', res.body.id);
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'the closed event of the application', timeoutMs: 60_000 },
      );
      const event = decodeCloudEvent(message.headers, JSON.stringify(message.data));
      expect(event.data).not.toHaveProperty('reportId');
      expect(event.data).toMatchObject({ outcome: 'discontinued', child: { personnummer: OTHER_CHILD_PNR } });
    });

    it('401 without a token, 403 without a social-services role or from another agency, before any lookup or validation', async () => {
      const inv = await opened();
      for (const path of [`/investigations/${inv.id}/close`, `/investigations/${randomUUID()}/close`]) {
        await http.post(path).send({}).expect(401);
        for (const token of [reporter, educationWorker]) {
          const res = await http.post(path).set(auth(token)).send({}).expect(403);
          expect(res.body).toEqual({ error: 'FORBIDDEN', message: 'Forbidden' });
        }
      }
      await http.get('/investigations').expect(401);
      await http.get('/investigations').set(auth(reporter)).expect(403);
      await http.post('/investigations').set(auth(educationWorker)).send({}).expect(403);
      await http.post(`/investigations/${inv.id}/extend`).set(auth(reporter)).send({}).expect(403);
    });

    it('nothing in the logs identifies a child or a reporter', () => {
      const logged = logger.lines.join('\n');
      // The capture works: the boot line is in it.
      expect(logged).toContain('listening on');
      for (const secret of [
        CHILD_PNR,
        CHILD_PNR.slice(2),
        OTHER_CHILD_PNR,
        OTHER_CHILD_PNR.slice(2),
        'Testa Testsson',
        'Lärare Larsson',
        'larare@skola.example',
        'Beskrivning som aldrig',
      ]) {
        expect(logged).not.toContain(secret);
      }
    });
  });

  describe('interventions', () => {
    let startedId: string;

    it('a started intervention after a decision publishes intervention.started.v1', async () => {
      const res = await request(app.getHttpServer())
        .post('/interventions')
        .set(auth(worker))
        .send({
          stage: 'started',
          catalogCode: 'familjebehandling',
          basis: 'after-decision',
          child: { personnummer: '150515-2387' },
          schoolYear: 5,
        })
        .expect(201);
      startedId = res.body.id;
      expect(res.body).toMatchObject({ stage: 'started', identified: true, unitCode: IFO_UNIT });
      const [event] = await eventually(
        () => {
          const found = publishedFor('samverkan.intervention.started.v1', 'interventionId', startedId);
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'intervention.started.v1 on the source topic', timeoutMs: 60_000 },
      );
      expect(event.data).toMatchObject({
        child: { personnummer: CHILD_PNR },
        catalogCode: 'familjebehandling',
        basis: 'after-decision',
        organisationUnit: { agency: 'social-services', unitCode: IFO_UNIT },
        schoolYear: 5,
      });
      // Same child as the concern report: same subject.
      const decided = publishedFor('samverkan.concern-report.decided.v1', 'reportId', overdue.data.reportId);
      expect(event.headers.ce_subject).toBe(decided[0].headers.ce_subject);
    });

    it('ends it once (intervention.ended.v1); a second end is a 409', async () => {
      await request(app.getHttpServer())
        .post(`/interventions/${startedId}/end`)
        .set(auth(worker))
        .send({ reason: 'completed' })
        .expect(200);
      const again = await request(app.getHttpServer())
        .post(`/interventions/${startedId}/end`)
        .set(auth(worker))
        .send({ reason: 'completed' })
        .expect(409);
      expect(again.body.error).toBe('INVALID_STATE');
      const [ended] = await eventually(
        () => {
          const found = publishedFor('samverkan.intervention.ended.v1', 'interventionId', startedId);
          expect(found).toHaveLength(1);
          return found;
        },
        { describe: 'intervention.ended.v1 on the source topic', timeoutMs: 60_000 },
      );
      expect(ended.data).toMatchObject({ reason: 'completed', catalogCode: 'familjebehandling' });
    });

    it('a referral publishes intervention.referred.v1', async () => {
      const res = await request(app.getHttpServer())
        .post('/interventions')
        .set(auth(worker))
        .send({
          stage: 'referred',
          catalogCode: 'skilda-varldar',
          basis: 'after-decision',
          child: { personnummer: OTHER_CHILD_PNR },
          receivingUnit: { agency: 'leisure', unitCode: 'familjecentralen', municipality: '0781' },
        })
        .expect(201);
      await eventually(
        () =>
          expect(publishedFor('samverkan.intervention.referred.v1', 'referralId', res.body.id)).toHaveLength(
            1,
          ),
        { describe: 'intervention.referred.v1 on the source topic', timeoutMs: 60_000 },
      );
    });

    it('an anonymous participant in a service without a needs assessment is recorded but not published', async () => {
      const outbox = await outboxCount();
      const res = await request(app.getHttpServer())
        .post('/interventions')
        .set(auth(worker))
        .send(ANONYMOUS_START)
        .expect(201);
      expect(res.body).toMatchObject({ identified: false, stage: 'started' });
      await request(app.getHttpServer())
        .post(`/interventions/${res.body.id}/end`)
        .set(auth(worker))
        .send({ reason: 'completed' })
        .expect(200);
      expect(await outboxCount()).toBe(outbox);
    });
  });

  describe('consents', () => {
    it('grant publishes consent.granted.v1; withdraw publishes consent.withdrawn.v1 once', async () => {
      const granted = await request(app.getHttpServer())
        .post('/consents')
        .set(auth(worker))
        .send({ ...CONSENT, child: { personnummer: CHILD_PNR, name: 'Testa Testsson' } })
        .expect(201);
      const id: string = granted.body.id;
      expect(granted.body).toMatchObject({ recordedByUnit: IFO_UNIT, withdrawnAt: null });
      const withdrawn = await request(app.getHttpServer())
        .delete(`/consents/${id}`)
        .set(auth(worker))
        .expect(200);
      expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));
      await request(app.getHttpServer()).delete(`/consents/${id}`).set(auth(worker)).expect(409);
      await eventually(
        () => {
          expect(publishedFor('samverkan.consent.granted.v1', 'consentId', id)).toHaveLength(1);
          expect(publishedFor('samverkan.consent.withdrawn.v1', 'consentId', id)).toHaveLength(1);
        },
        { describe: 'consent granted and withdrawn on the source topic', timeoutMs: 60_000 },
      );
      const [grantedEvent] = publishedFor('samverkan.consent.granted.v1', 'consentId', id);
      // The name is accepted for API compatibility with education but not passed on.
      expect(JSON.stringify(grantedEvent.data)).not.toContain('Testa');
    });
  });

  describe('the service clock', () => {
    it('dates consents and interventions, as it dates the intake (CLOCK_OFFSET in a demo)', async () => {
      const threeDays = 3 * 86_400_000;
      clock.advance(threeDays);
      try {
        const earliest = Date.now() + threeDays - 1000;
        const granted = await request(app.getHttpServer())
          .post('/consents')
          .set(auth(worker))
          .send(CONSENT)
          .expect(201);
        const withdrawn = await request(app.getHttpServer())
          .delete(`/consents/${granted.body.id}`)
          .set(auth(worker))
          .expect(200);
        const started = await request(app.getHttpServer())
          .post('/interventions')
          .set(auth(worker))
          .send(ANONYMOUS_START)
          .expect(201);
        const ended = await request(app.getHttpServer())
          .post(`/interventions/${started.body.id}/end`)
          .set(auth(worker))
          .send({ reason: 'completed' })
          .expect(200);
        const dated = {
          grantedAt: Date.parse(granted.body.grantedAt),
          withdrawnAt: Date.parse(withdrawn.body.withdrawnAt),
          startedAt: Date.parse(started.body.startedAt),
          endedAt: Date.parse(ended.body.endedAt),
        };
        // Three days ahead of the system clock, every one (the system clock would give about now).
        for (const at of Object.values(dated)) expect(at).toBeGreaterThanOrEqual(earliest);
      } finally {
        clock.reset();
      }
    });
  });

  describe('access', () => {
    const existing = () => `/concern-reports/${fresh.data.reportId}`;
    const missing = () => `/concern-reports/${randomUUID()}`;

    it('401 without a token or with a token from an unknown issuer, the same for existing and unknown records', async () => {
      const stranger = await createTestIssuer();
      try {
        const foreign = await stranger.mintFor({
          agency: 'social-services',
          orgUnit: IFO_UNIT,
          roles: ['social-worker'],
        });
        for (const headers of [{}, auth(foreign), { Authorization: 'Bearer not.a.jwt' }]) {
          const a = await request(app.getHttpServer()).get(existing()).set(headers).expect(401);
          const b = await request(app.getHttpServer()).get(missing()).set(headers).expect(401);
          expect(a.body).toEqual(b.body);
          expect(a.body).toEqual({ error: 'UNAUTHENTICATED', message: 'Authentication required' });
        }
        await request(app.getHttpServer()).get('/intake').expect(401);
        await request(app.getHttpServer()).post('/interventions').send({}).expect(401);
        await request(app.getHttpServer()).post('/consents').send({}).expect(401);
        await request(app.getHttpServer()).delete(`/consents/${randomUUID()}`).expect(401);
      } finally {
        await stranger.cleanup();
      }
    });

    it('403 without a social-services role or from another agency, before any lookup or validation', async () => {
      for (const token of [reporter, educationWorker]) {
        const a = await request(app.getHttpServer()).get(existing()).set(auth(token)).expect(403);
        const b = await request(app.getHttpServer()).get(missing()).set(auth(token)).expect(403);
        expect(a.body).toEqual(b.body);
        expect(a.body).toEqual({ error: 'FORBIDDEN', message: 'Forbidden' });
        await request(app.getHttpServer()).get('/intake').set(auth(token)).expect(403);
        await request(app.getHttpServer())
          .post(`${existing()}/decision`)
          .set(auth(token))
          .send({ decision: 'investigation-opened' })
          .expect(403);
        await request(app.getHttpServer()).post('/interventions').set(auth(token)).send({}).expect(403);
      }
      expect((await intakeRows(fresh.data.reportId))[0].decided_at).toBeNull();
    });

    it('/health, /metrics and /docs are public', async () => {
      const health = await request(app.getHttpServer()).get('/health').expect(200);
      expect(health.body.status).toBe('ok');
      // The server's own autovacuum setting, as /health reports it, and warned about at start when off.
      const [{ autovacuum }] = await db.query<Array<{ autovacuum: string }>>('SHOW autovacuum');
      expect(health.body.details.databaseMaintenance).toEqual(
        autovacuum === 'off'
          ? { status: 'up', autovacuum: 'off', warning: AUTOVACUUM_OFF_WARNING }
          : { status: 'up', autovacuum: 'on' },
      );
      expect(logger.lines.filter((line) => line.includes('autovacuum is off'))).toHaveLength(
        autovacuum === 'off' ? 1 : 0,
      );
      const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toContain('# TYPE samverkan_intake_overdue gauge');
      // Labels carry the kind only.
      expect(metrics.text).not.toMatch(/\d{12}|report_id|reportId/);
      await request(app.getHttpServer()).get('/docs').expect(200);
    });
  });
});
