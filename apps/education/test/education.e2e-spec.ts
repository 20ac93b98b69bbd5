import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import {
  applyTransform,
  audienceTopic,
  consentLookupFrom,
  consentRecordFromGranted,
  createEvent,
  decide,
  decodeCloudEvent,
  luhnCheckDigit,
  NO_CONSENTS,
  sourceTopic,
  type CloudEvent,
  type ConcernDecisionOutcome,
  type ConsentGrantedV1,
} from '@samverkan/contracts';
import { OUTBOX_TABLE, INBOX_TABLE } from '@samverkan/messaging';
import { eventually } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ConcernReportsService } from '../src/concern-reports/concern-reports.service';
import {
  collectTopic,
  groupMembers,
  produceEvents,
  startEducation,
  type CollectedMessage,
  type EducationUnderTest,
} from './education-test-kit';

jest.setTimeout(180_000);

// Unit codes of two schools, and the router's pseudonym key stand-in (only applyTransform needs one).
const UNIT_A = '12345678';
const UNIT_B = '87654321';
const ROUTER_KEY = 'education-e2e-router-key-at-least-32-bytes';
const SOURCE = sourceTopic('education');
const AUDIENCE = audienceTopic('education');
const CLOCK_BEHIND_DAYS = 2;
const CLOCK_BEHIND_MS = CLOCK_BEHIND_DAYS * 86_400_000;

/** A fresh, valid personnummer per child and run (the topics outlive test runs), in 12 digits. */
function randomPnr(): string {
  const yyyymmdd = `20${12 + randomInt(6)}${String(1 + randomInt(12)).padStart(2, '0')}${String(1 + randomInt(28)).padStart(2, '0')}`;
  const serial = String(randomInt(1000)).padStart(3, '0');
  return `${yyyymmdd}${serial}${luhnCheckDigit(yyyymmdd.slice(2) + serial)}`;
}

/** The same number as written on paper: YYMMDD-NNNN. */
const tenDigits = (pnr: string) => `${pnr.slice(2, 8)}-${pnr.slice(8)}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

function reportBody(pnr: string, overrides: Loose = {}): Loose {
  return {
    child: { personnummer: tenDigits(pnr), name: 'Testbarn Testsson' },
    reportingUnit: { schoolUnitCode: UNIT_A },
    reporter: { role: 'teacher', name: 'Lärare Larsson', contact: { email: 'larare@skola.example.se' } },
    categories: ['neglect', 'school-absence'],
    description: 'Eleven har berättat om oro hemma (testtext).',
    immediateDanger: false,
    ...overrides,
  };
}

describe('apps/education against the real stack', () => {
  let edu: EducationUnderTest;
  let source: { messages: CollectedMessage[]; close: () => Promise<void> };
  let http: ReturnType<typeof request>;
  let db: DataSource;
  const tokens: Record<string, string> = {};
  const bearer = (name: string) => `Bearer ${tokens[name]}`;

  const onSource = (type: string, match: (data: Loose) => boolean) =>
    source.messages.filter((m) => m.headers.ce_type === type && match(JSON.parse(m.value) as Loose));

  async function awaitOnSource(type: string, match: (data: Loose) => boolean): Promise<CollectedMessage> {
    return eventually(
      () => {
        const found = onSource(type, match);
        expect(found.length).toBeGreaterThan(0);
        return found[0];
      },
      { describe: `${type} on ${SOURCE}`, timeoutMs: 60_000, dump: () => source.messages.length },
    );
  }

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query(sql, params))[0].n);

  /** A time education recorded: on its own (simulated) clock, CLOCK_BEHIND_DAYS behind the machine's. */
  const expectOnEducationClock = (iso: string, slackMs = 10 * 60_000): void => {
    const behind = Date.now() - new Date(iso).getTime();
    expect(behind).toBeGreaterThan(CLOCK_BEHIND_MS - slackMs);
    expect(behind).toBeLessThan(CLOCK_BEHIND_MS + 60_000);
  };

  beforeAll(async () => {
    source = await collectTopic(SOURCE);
    // Simulated time, two days behind: every time education records is on its own clock.
    // One filing statement at a time: concurrent reports are written together as soon as two
    // requests overlap, so every concurrency test here goes through a batch.
    edu = await startEducation({ CLOCK_OFFSET: `-${CLOCK_BEHIND_DAYS}d`, CONCERN_REPORT_WRITERS: '1' });
    http = request(edu.app.getHttpServer());
    db = edu.app.get(DataSource);
    const mint = (
      agency: 'education' | 'social-services',
      orgUnit: string,
      roles: string[],
      subject: string,
    ) => edu.issuer.mintFor({ agency, orgUnit, roles, subject });
    tokens.reporterA = await mint('education', UNIT_A, ['reporter'], 'teacher-a');
    tokens.reporterB = await mint('education', UNIT_B, ['reporter'], 'teacher-b');
    tokens.consentAdminA = await mint('education', UNIT_A, ['consent-admin'], 'admin-a');
    tokens.consentAdminB = await mint('education', UNIT_B, ['consent-admin'], 'admin-b');
    tokens.studentHealthA = await mint('education', UNIT_A, ['student-health'], 'nurse-a');
    tokens.socialWorkerAsReporter = await mint('social-services', UNIT_A, ['reporter'], 'ifo-1');
  });

  afterAll(async () => {
    await source?.close();
    await edu?.close();
  });

  describe('POST /concern-reports', () => {
    const child = randomPnr();
    let reportId: string;
    let subject: string;

    it('stores the report and publishes concern-report.filed.v1 with CloudEvents headers and an opaque subject', async () => {
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(child));
      expect(res.status).toBe(201);
      reportId = res.body.id;
      expect(res.body).toMatchObject({
        child: { personnummer: child, name: 'Testbarn Testsson', protectedIdentity: false },
        reportingUnit: { schoolUnitCode: UNIT_A },
        categories: ['neglect', 'school-absence'],
        immediateDanger: false,
        feedback: { status: 'awaiting', feedbackReceivedAt: null, decidedAt: null },
      });
      const rows = await db.query(`SELECT child_subject FROM concern_reports WHERE id = $1`, [reportId]);
      expect(rows).toHaveLength(1);
      subject = rows[0].child_subject;

      const message = await awaitOnSource(
        'samverkan.concern-report.filed.v1',
        (d) => d.reportId === reportId,
      );
      expect(message.key).toBe(subject);
      expect(message.headers).toEqual({
        ce_specversion: '1.0',
        ce_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ce_source: '/samverkan/education',
        ce_type: 'samverkan.concern-report.filed.v1',
        ce_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        ce_subject: subject,
        'content-type': 'application/json',
        ce_dataschema: 'urn:samverkan:schema:samverkan.concern-report.filed.v1',
        ce_municipality: '0781',
      });
      // The subject and key say nothing about the child.
      expect(subject).toMatch(/^[0-9a-f-]{36}$/);
      expect(subject).not.toContain(child.slice(2));
      const event = decodeCloudEvent(message.headers, message.value);
      expect(event.data).toMatchObject({
        reportId,
        child: { personnummer: child, name: 'Testbarn Testsson' },
        reportingUnit: { schoolUnitCode: UNIT_A, municipality: '0781' },
        reporter: { role: 'teacher', name: 'Lärare Larsson', contact: { email: 'larare@skola.example.se' } },
        categories: ['neglect', 'school-absence'],
        immediateDanger: false,
      });
    });

    it("keys every event about one child with that child's subject id", async () => {
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(child));
      expect(res.status).toBe(201);
      const message = await awaitOnSource(
        'samverkan.concern-report.filed.v1',
        (d) => d.reportId === res.body.id,
      );
      expect(message.key).toBe(subject);
    });

    it('uses the stored subject for a child known from a consent, not a new one (one report, one event)', async () => {
      const known = randomPnr();
      const consent = await http
        .post('/consents')
        .set('Authorization', bearer('consentAdminA'))
        .send({
          child: { personnummer: tenDigits(known) },
          parties: ['education', 'social-services'],
          informationKinds: ['interventions'],
          purpose: 'coordinated-support',
          validFrom: '2026-01-01',
          validTo: '2027-12-31',
          grantedBy: 'both-guardians',
        });
      expect(consent.status).toBe(201);
      const [{ subject: stored }] = await db.query(
        `SELECT subject::text FROM child_subjects WHERE personnummer = $1`,
        [known],
      );
      // This process has never filed for the child: its first guess is wrong and must not be written.
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(known));
      expect(res.status).toBe(201);
      expect(
        await db.query(`SELECT child_subject::text AS s FROM concern_reports WHERE id = $1`, [res.body.id]),
      ).toEqual([{ s: stored }]);
      const message = await awaitOnSource(
        'samverkan.concern-report.filed.v1',
        (d) => d.reportId === res.body.id,
      );
      expect(message.key).toBe(stored);
      expect(
        await count(`SELECT count(*) AS n FROM messaging_outbox WHERE payload::jsonb->>'reportId' = $1`, [
          res.body.id,
        ]),
      ).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM child_subjects WHERE personnummer = $1`, [known])).toBe(
        1,
      );
    });

    it('gives concurrent first reports about one new child one subject', async () => {
      const fresh = randomPnr();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          http.post('/concern-reports').set('Authorization', bearer('reporterA')).send(reportBody(fresh)),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const subjects: Array<{ s: string }> = await db.query(
        `SELECT DISTINCT child_subject::text AS s FROM concern_reports WHERE id = ANY($1::uuid[])`,
        [answers.map((a) => a.body.id)],
      );
      expect(subjects).toEqual([
        (await db.query(`SELECT subject::text AS s FROM child_subjects WHERE personnummer = $1`, [fresh]))[0],
      ]);
    });

    it('writes concurrent reports in one statement, each with its own outcome (created, replayed, 409)', async () => {
      const post = (body: Loose, key?: string) => {
        const req = http.post('/concern-reports').set('Authorization', bearer('reporterA'));
        return key === undefined ? req.send(body) : req.set('Idempotency-Key', key).send(body);
      };
      const known = randomPnr();
      expect((await post(reportBody(known))).status).toBe(201);
      const [{ s: knownSubject }] = await db.query(
        `SELECT subject::text AS s FROM child_subjects WHERE personnummer = $1`,
        [known],
      );
      const usedKey = randomUUID();
      const usedBody = reportBody(randomPnr());
      const used = await post(usedBody, usedKey);
      expect(used.status).toBe(201);

      // Stall the one writer: a transaction of the test holds the subject row of a new child, so
      // the statement filing that child waits (ON CONFLICT) and everything else queues behind it.
      const stalled = randomPnr();
      const stallSubject = randomUUID();
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      const service = edu.app.get(ConcernReportsService);
      try {
        await runner.query('INSERT INTO child_subjects (personnummer, subject) VALUES ($1, $2)', [
          stalled,
          stallSubject,
        ]);
        const first = post(reportBody(stalled)).then((r) => r);
        await eventually(
          async () =>
            expect(
              await count(
                `SELECT count(*) AS n FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              ),
            ).toBe(1),
          { describe: 'the first filing statement waiting for the test’s transaction' },
        );
        const fresh = Array.from({ length: 8 }, () => randomPnr());
        const newKey = randomUUID();
        const newKeyBody = reportBody(randomPnr());
        const pending = [
          ...fresh.map((pnr) => post(reportBody(pnr))),
          post(reportBody(known)),
          post(usedBody, usedKey),
          post({ ...usedBody, immediateDanger: true }, usedKey),
          post(newKeyBody, newKey),
          post(newKeyBody, newKey),
        ].map((r) => r.then((answer) => answer));
        await eventually(() => expect(service.queuedReports).toBe(pending.length), {
          describe: 'every concurrent report queued behind the stalled statement',
          dump: () => ({ queued: service.queuedReports }),
        });
        await runner.commitTransaction();

        const stalledAnswer = await first;
        const answers = await Promise.all(pending);
        expect(stalledAnswer.status).toBe(201);
        expect(answers.map((a) => a.status)).toEqual([...fresh.map(() => 201), 201, 201, 409, 201, 201]);
        const [freshAnswers, [knownAnswer, replay, conflict, keyed1, keyed2]] = [
          answers.slice(0, fresh.length),
          answers.slice(fresh.length),
        ];
        expect(replay.body.id).toBe(used.body.id);
        expect(replay.headers['idempotent-replayed']).toBe('true');
        expect(conflict.body.error).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(keyed1.body.id).toBe(keyed2.body.id);
        expect([keyed1, keyed2].filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(1);

        const created = [...freshAnswers, knownAnswer, keyed1].map((a) => a.body.id as string);
        const stored: Array<{ id: string; s: string; pnr: string; filed_at: Date; categories: string[] }> =
          await db.query(
            `SELECT id::text, child_subject::text AS s, child_personnummer AS pnr, filed_at, categories
               FROM concern_reports WHERE id = ANY($1::uuid[])`,
            [[...created, stalledAnswer.body.id]],
          );
        expect(stored).toHaveLength(created.length + 1);
        const byId = new Map(stored.map((row) => [row.id, row]));
        // The stalled child got the subject the test's transaction committed, not its own guess.
        expect(byId.get(stalledAnswer.body.id)?.s).toBe(stallSubject);
        expect(byId.get(knownAnswer.body.id)?.s).toBe(knownSubject);
        expect(new Set(freshAnswers.map((a) => byId.get(a.body.id)?.s)).size).toBe(fresh.length);
        expect(stored.every((row) => row.categories.join() === 'neglect,school-absence')).toBe(true);
        // Written together: the reports that queued share a statement, so its one filing time.
        expect(new Set(freshAnswers.map((a) => byId.get(a.body.id)?.filed_at.getTime())).size).toBe(1);
        for (const id of [...created, stalledAnswer.body.id]) {
          const message = await awaitOnSource('samverkan.concern-report.filed.v1', (d) => d.reportId === id);
          expect(message.key).toBe(byId.get(id)?.s);
        }
        expect(
          await count(
            `SELECT count(*) AS n FROM ${OUTBOX_TABLE} WHERE payload::jsonb->>'reportId' = ANY($1::text[])`,
            [[...created, stalledAnswer.body.id, used.body.id]],
          ),
        ).toBe(created.length + 2);
        // Operations see it too: a statement of more than eight reports, none failed.
        const metrics = (await http.get('/metrics').expect(200)).text;
        const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
        expect(sample('samverkan_concern_report_filing_batch_reports_bucket\\{le="8"\\}')).toBeLessThan(
          sample('samverkan_concern_report_filing_batch_reports_count'),
        );
        expect(sample('samverkan_concern_report_filing_statements_total\\{outcome="failed"\\}')).toBe(0);
        expect(sample('samverkan_concern_report_filing_queued')).toBe(0);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    });

    it('answers each invalid field with a 400 naming that field; nothing is stored or published', async () => {
      const fresh = randomPnr();
      const reportsBefore = await count(`SELECT count(*) AS n FROM concern_reports`);
      const outboxBefore = await count(`SELECT count(*) AS n FROM ${OUTBOX_TABLE}`);
      const invalid: Array<[Loose, string]> = [
        [
          reportBody(fresh, {
            child: { personnummer: `${fresh.slice(0, 11)}${(Number(fresh[11]) + 1) % 10}`, name: 'X' },
          }),
          'child.personnummer',
        ],
        [reportBody(fresh, { child: { personnummer: '20130231-1234', name: 'X' } }), 'child.personnummer'],
        [reportBody(fresh, { child: { personnummer: fresh } }), 'child.name'],
        [reportBody(fresh, { reportingUnit: { schoolUnitCode: 'ABC' } }), 'reportingUnit.schoolUnitCode'],
        [
          reportBody(fresh, { reporter: { role: 'janitor', name: 'N', contact: { email: 'a@b.se' } } }),
          'reporter.role',
        ],
        [
          reportBody(fresh, { reporter: { role: 'teacher', name: 'N', contact: {} } }),
          'reporter.contact.email',
        ],
        [reportBody(fresh, { categories: ['neglect', 'bad-vibes'] }), 'categories'],
        [reportBody(fresh, { categories: [] }), 'categories'],
        [reportBody(fresh, { description: '' }), 'description'],
        [reportBody(fresh, { immediateDanger: 'yes' }), 'immediateDanger'],
        [reportBody(fresh, { extra: 'field' }), 'extra'],
      ];
      for (const [body, field] of invalid) {
        const res = await http.post('/concern-reports').set('Authorization', bearer('reporterA')).send(body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body).toEqual({
          error: 'VALIDATION_FAILED',
          message: expect.any(String),
          fields: [{ field, message: expect.any(String) }],
        });
        expect(res.text).not.toContain(fresh.slice(2, 8));
        expect(res.text).not.toContain('testtext');
      }
      expect(await count(`SELECT count(*) AS n FROM concern_reports`)).toBe(reportsBefore);
      expect(await count(`SELECT count(*) AS n FROM ${OUTBOX_TABLE}`)).toBe(outboxBefore);
      expect(await count(`SELECT count(*) AS n FROM child_subjects WHERE personnummer = $1`, [fresh])).toBe(
        0,
      );

      // A valid report about the same child afterwards is the only event about that child on the topic:
      // one child's events share a partition, so anything published earlier would already be here.
      const sentinel = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(fresh));
      expect(sentinel.status).toBe(201);
      await awaitOnSource('samverkan.concern-report.filed.v1', (d) => d.reportId === sentinel.body.id);
      expect(
        onSource('samverkan.concern-report.filed.v1', (d) => d.child.personnummer === fresh),
      ).toHaveLength(1);
    });

    it('refuses to file for another school unit than the caller’s own (403), storing nothing', async () => {
      const reportsBefore = await count(`SELECT count(*) AS n FROM concern_reports`);
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterB'))
        .send(reportBody(randomPnr()));
      expect(res.status).toBe(403);
      expect(await count(`SELECT count(*) AS n FROM concern_reports`)).toBe(reportsBefore);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same report for a retry and raises one event; the key with another body is a 409', async () => {
      const child = randomPnr();
      const key = randomUUID();
      const body = reportBody(child);
      const first = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .set('Idempotency-Key', key)
        .send(body);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // The retry spells the personnummer in 12 digits: the same request after normalization.
      const retry = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .set('Idempotency-Key', key)
        .send({ ...body, child: { ...body.child, personnummer: child } });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      // Concurrent retries converge on the same report too.
      const concurrent = await Promise.all(
        [1, 2, 3, 4].map(() =>
          http
            .post('/concern-reports')
            .set('Authorization', bearer('reporterA'))
            .set('Idempotency-Key', key)
            .send(body),
        ),
      );
      expect(concurrent.map((r) => [r.status, r.body.id])).toEqual(
        concurrent.map(() => [201, first.body.id]),
      );

      const conflict = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .set('Idempotency-Key', key)
        .send({ ...body, immediateDanger: true });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toBe('IDEMPOTENCY_KEY_REUSED');

      expect(
        await count(`SELECT count(*) AS n FROM concern_reports WHERE child_personnummer = $1`, [child]),
      ).toBe(1);
      expect(
        await count(`SELECT count(*) AS n FROM ${OUTBOX_TABLE} WHERE payload::jsonb->>'reportId' = $1`, [
          first.body.id,
        ]),
      ).toBe(1);
      const sentinel = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(child));
      await awaitOnSource('samverkan.concern-report.filed.v1', (d) => d.reportId === sentinel.body.id);
      expect(onSource('samverkan.concern-report.filed.v1', (d) => d.reportId === first.body.id)).toHaveLength(
        1,
      );
    });

    it('is scoped to the caller’s unit: another school may use the same key', async () => {
      const key = randomUUID();
      const a = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .set('Idempotency-Key', key)
        .send(reportBody(randomPnr()));
      const b = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterB'))
        .set('Idempotency-Key', key)
        .send(reportBody(randomPnr(), { reportingUnit: { schoolUnitCode: UNIT_B } }));
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('rejects a malformed key with a 400 on the header', async () => {
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .set('Idempotency-Key', 'x'.repeat(300))
        .send(reportBody(randomPnr()));
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    });
  });

  describe('feedback from social services (minimized concern-report.decided.v1 on the education audience)', () => {
    it('shows the outcome and its dates on GET /concern-reports/:id', async () => {
      const child = randomPnr();
      const filed = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(child));
      expect(filed.status).toBe(201);
      const reportId: string = filed.body.id;

      // What social services publishes, and what the router makes of it for education.
      const decided = createEvent('samverkan.concern-report.decided.v1', {
        source: '/samverkan/social-services',
        subject: randomUUID(),
        municipality: '0781',
        data: {
          reportId,
          child: { personnummer: child },
          outcome: 'investigation-opened',
          receivedAt: '2026-11-23T09:15:02+01:00',
          decidedAt: '2026-12-02T10:00:00+01:00',
          decidingUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
          reporterUnit: { agency: 'education', unitCode: UNIT_A, municipality: '0781' },
        },
      });
      const decision = decide(decided, 'education', NO_CONSENTS);
      expect(decision.outcome).toBe('minimized');
      const feedback = applyTransform(decided, decision, ROUTER_KEY) as CloudEvent;
      expect(Object.keys(feedback.data as object).sort()).toEqual(['decidedAt', 'outcome', 'reportId']);
      await produceEvents(AUDIENCE, [feedback]);

      const view = await eventually(
        async () => {
          const res = await http
            .get(`/concern-reports/${reportId}`)
            .set('Authorization', bearer('reporterA'));
          expect(res.status).toBe(200);
          expect(res.body.feedback.status).toBe('investigation-opened');
          return res.body as Loose;
        },
        {
          describe: 'the decision visible on the report',
          timeoutMs: 90_000,
          dump: async () => ({ educationGroupMembers: await groupMembers('education') }),
        },
      );
      expect(view.feedback).toEqual({
        status: 'investigation-opened',
        filedAt: filed.body.feedback.filedAt,
        feedbackReceivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        decidedAt: '2026-12-02T09:00:00.000Z',
      });
      // Filed and received on education's (simulated) clock, not the machine's.
      expectOnEducationClock(view.feedback.filedAt as string);
      expectOnEducationClock(view.feedback.feedbackReceivedAt as string);
      expect(await count(`SELECT count(*) AS n FROM ${INBOX_TABLE} WHERE event_id = $1`, [feedback.id])).toBe(
        1,
      );
    });

    it('applies a run of decisions in order: a correction wins, an older decision arriving after it does not', async () => {
      const file = async () => {
        const res = await http
          .post('/concern-reports')
          .set('Authorization', bearer('reporterA'))
          .send(reportBody(randomPnr()));
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const reportA = await file();
      const reportB = await file();
      const feedbackFor = (
        reportId: string,
        outcome: ConcernDecisionOutcome,
        decidedAt: string,
      ): CloudEvent => {
        const decided = createEvent('samverkan.concern-report.decided.v1', {
          source: '/samverkan/social-services',
          subject: randomUUID(),
          municipality: '0781',
          data: {
            reportId,
            child: { personnummer: randomPnr() },
            outcome,
            receivedAt: '2026-11-23T09:15:02+01:00',
            decidedAt,
            decidingUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
            reporterUnit: { agency: 'education', unitCode: UNIT_A, municipality: '0781' },
          },
        });
        return applyTransform(decided, decide(decided, 'education', NO_CONSENTS), ROUTER_KEY) as CloudEvent;
      };
      const run = [
        feedbackFor(reportA, 'investigation-not-opened', '2026-12-02T10:00:00+01:00'),
        feedbackFor(reportB, 'investigation-already-ongoing', '2026-12-02T11:00:00+01:00'),
        // Social services corrects A's decision a day later ...
        feedbackFor(reportA, 'investigation-opened', '2026-12-03T10:00:00+01:00'),
        // ... and a decision older than both reaches education last: it must not overwrite them.
        feedbackFor(reportA, 'investigation-not-opened', '2026-12-01T10:00:00+01:00'),
      ];
      const correction = run[2];
      // The router keys these by report id; one partition makes them consecutive, i.e. one run.
      await produceEvents(AUDIENCE, run, { partition: 0 });

      const stored = await eventually(
        async () => {
          const rows: Loose[] = await db.query(
            `SELECT id::text AS id, feedback_status, decided_at, feedback_event_id::text AS event_id,
                    feedback_received_at
             FROM concern_reports WHERE id = ANY($1::uuid[]) ORDER BY id`,
            [[reportA, reportB]],
          );
          expect(rows.map((r) => r.feedback_status)).not.toContain('awaiting');
          return new Map(rows.map((r) => [r.id as string, r]));
        },
        {
          describe: 'the run of decisions applied to both reports',
          timeoutMs: 90_000,
          dump: async () => ({ educationGroupMembers: await groupMembers('education') }),
        },
      );
      expect(stored.get(reportA)).toMatchObject({
        feedback_status: 'investigation-opened',
        decided_at: new Date('2026-12-03T09:00:00Z'),
        event_id: correction.id,
        feedback_received_at: expect.any(Date),
      });
      expect(stored.get(reportB)).toMatchObject({
        feedback_status: 'investigation-already-ongoing',
        decided_at: new Date('2026-12-02T10:00:00Z'),
        event_id: run[1].id,
        feedback_received_at: expect.any(Date),
      });
      // Every event of the run is in the inbox, all four committed by one transaction (one now()): the
      // run was applied as a whole, not rolled back and redone one event per transaction (which would
      // also end in the right state, hiding a batch statement that fails for several reports).
      const inbox: Array<{ n: string; at: string }> = await db.query(
        `SELECT count(*) AS n, count(DISTINCT processed_at) AS at FROM ${INBOX_TABLE} WHERE event_id = ANY($1::uuid[])`,
        [run.map((e) => e.id)],
      );
      expect(inbox[0]).toEqual({ n: '4', at: '1' });

      const view = await http.get(`/concern-reports/${reportA}`).set('Authorization', bearer('reporterA'));
      expect(view.status).toBe(200);
      expect(view.body.feedback).toMatchObject({
        status: 'investigation-opened',
        decidedAt: '2026-12-03T09:00:00.000Z',
      });
    });
  });

  describe('access', () => {
    let reportId: string;
    const unknownId = randomUUID();

    beforeAll(async () => {
      const res = await http
        .post('/concern-reports')
        .set('Authorization', bearer('reporterA'))
        .send(reportBody(randomPnr()));
      reportId = res.body.id;
    });

    it('answers 401 without a token or with a token from another issuer, the same for existing and unknown ids', async () => {
      const none = await http.get(`/concern-reports/${reportId}`);
      const noneUnknown = await http.get(`/concern-reports/${unknownId}`);
      expect([none.status, noneUnknown.status]).toEqual([401, 401]);
      expect(none.body).toEqual(noneUnknown.body);
      expect((await http.post('/concern-reports').send(reportBody(randomPnr()))).status).toBe(401);
      const garbage = await http
        .get(`/concern-reports/${reportId}`)
        .set('Authorization', 'Bearer not.a.token');
      expect(garbage.status).toBe(401);
    });

    it('answers 403 for a wrong role or agency, before looking at any record', async () => {
      const wrongRole = await http
        .get(`/concern-reports/${reportId}`)
        .set('Authorization', bearer('consentAdminA'));
      const wrongRoleUnknown = await http
        .get(`/concern-reports/${unknownId}`)
        .set('Authorization', bearer('consentAdminA'));
      expect([wrongRole.status, wrongRoleUnknown.status]).toEqual([403, 403]);
      expect(wrongRole.body).toEqual(wrongRoleUnknown.body);
      const wrongAgency = await http
        .get(`/concern-reports/${reportId}`)
        .set('Authorization', bearer('socialWorkerAsReporter'));
      expect(wrongAgency.status).toBe(403);
      expect((await http.post('/consents').set('Authorization', bearer('reporterA')).send({})).status).toBe(
        403,
      );
      expect(
        (
          await http
            .post('/shared-interventions/search')
            .set('Authorization', bearer('reporterA'))
            .send({ personnummer: randomPnr() })
        ).status,
      ).toBe(403);
    });

    it("answers 404 for another unit's report, exactly as for one that does not exist", async () => {
      const other = await http.get(`/concern-reports/${reportId}`).set('Authorization', bearer('reporterB'));
      const unknown = await http
        .get(`/concern-reports/${unknownId}`)
        .set('Authorization', bearer('reporterB'));
      expect([other.status, unknown.status]).toEqual([404, 404]);
      expect(other.body).toEqual(unknown.body);
      expect(
        (await http.get(`/concern-reports/${reportId}`).set('Authorization', bearer('reporterA'))).status,
      ).toBe(200);
    });

    it('leaves /health, /metrics and /docs public', async () => {
      const health = await http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      const metrics = await http.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('# TYPE samverkan_concern_report_filing_queued gauge');
      expect(metrics.text).toContain('# TYPE samverkan_concern_report_filing_statement_seconds histogram');
      const docs = await http.get('/docs-json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/concern-reports',
          '/concern-reports/{id}',
          '/consents',
          '/consents/{id}',
          '/school-absence-flags',
          '/shared-interventions/search',
        ]),
      );
      const schemas = docs.body.components.schemas as Loose;
      expect(Object.keys(schemas.FileConcernReportRequest.properties).sort()).toEqual([
        'categories',
        'child',
        'description',
        'immediateDanger',
        'reporter',
        'reportingUnit',
      ]);
      expect(schemas.FeedbackView.properties.status.enum).toEqual([
        'awaiting',
        'investigation-opened',
        'investigation-not-opened',
        'investigation-already-ongoing',
      ]);
      const filing = docs.body.paths['/concern-reports'].post as Loose;
      expect(filing.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
      );
      expect(filing.security).toEqual([{ bearer: [] }]);
    });
  });

  describe('consents', () => {
    const consentBody = (pnr: string, overrides: Loose = {}): Loose => ({
      child: { personnummer: tenDigits(pnr) },
      parties: ['education', 'social-services'],
      informationKinds: ['interventions', 'school-attendance'],
      purpose: 'coordinated-support',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      grantedBy: 'both-guardians',
      ...overrides,
    });

    it('publishes consent.granted.v1 and, on DELETE, consent.withdrawn.v1 once', async () => {
      const child = randomPnr();
      const granted = await http
        .post('/consents')
        .set('Authorization', bearer('consentAdminA'))
        .send(consentBody(child));
      expect(granted.status).toBe(201);
      const id: string = granted.body.id;
      expect(granted.body).toMatchObject({
        parties: ['education', 'social-services'],
        recordedByUnit: UNIT_A,
        withdrawnAt: null,
      });
      const grantedMessage = await awaitOnSource('samverkan.consent.granted.v1', (d) => d.consentId === id);
      expect(JSON.parse(grantedMessage.value)).toMatchObject({
        child: { personnummer: child },
        informationKinds: ['interventions', 'school-attendance'],
        recordedBy: { agency: 'education', unitCode: UNIT_A, municipality: '0781' },
      });

      expect(
        (await http.delete(`/consents/${id}`).set('Authorization', bearer('consentAdminB'))).status,
      ).toBe(404);
      const withdrawn = await http.delete(`/consents/${id}`).set('Authorization', bearer('consentAdminA'));
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));
      // Granted (no grantedAt in the request) and withdrawn on education's clock.
      expectOnEducationClock(JSON.parse(grantedMessage.value).grantedAt);
      expectOnEducationClock(withdrawn.body.withdrawnAt);
      const again = await http.delete(`/consents/${id}`).set('Authorization', bearer('consentAdminA'));
      expect(again.body.withdrawnAt).toBe(withdrawn.body.withdrawnAt);
      const withdrawnMessage = await awaitOnSource(
        'samverkan.consent.withdrawn.v1',
        (d) => d.consentId === id,
      );
      expect(withdrawnMessage.key).toBe(grantedMessage.key);
      expect(
        await count(`SELECT count(*) AS n FROM ${OUTBOX_TABLE} WHERE payload::jsonb->>'consentId' = $1`, [
          id,
        ]),
      ).toBe(2);
    });

    it('rejects invalid consents field by field', async () => {
      const child = randomPnr();
      const cases: Array<[Loose, string]> = [
        [consentBody(child, { validTo: '2025-12-31' }), 'validTo'],
        [consentBody(child, { parties: ['social-services', 'leisure'] }), 'parties'],
        [consentBody(child, { informationKinds: ['gossip'] }), 'informationKinds'],
        [consentBody(child, { validFrom: '2026-02-30' }), 'validFrom'],
      ];
      for (const [body, field] of cases) {
        const res = await http.post('/consents').set('Authorization', bearer('consentAdminA')).send(body);
        expect({ field, status: res.status, fields: res.body.fields }).toEqual({
          field,
          status: 400,
          fields: [{ field, message: expect.any(String) }],
        });
      }
      expect(await count(`SELECT count(*) AS n FROM consents WHERE child_personnummer = $1`, [child])).toBe(
        0,
      );
    });
  });

  describe('POST /school-absence-flags', () => {
    it('publishes school-absence.flagged.v1 with the period and the rate', async () => {
      const child = randomPnr();
      const body = {
        child: { personnummer: child },
        schoolUnitCode: UNIT_A,
        period: { from: '2026-09-01', to: '2026-11-20' },
        absenceRate: 0.23,
        unexcusedRate: 0.1,
        schoolYear: 7,
      };
      const res = await http
        .post('/school-absence-flags')
        .set('Authorization', bearer('reporterA'))
        .send(body);
      expect(res.status).toBe(201);
      const message = await awaitOnSource(
        'samverkan.school-absence.flagged.v1',
        (d) => d.flagId === res.body.id,
      );
      expect(JSON.parse(message.value)).toMatchObject({
        child: { personnummer: child },
        schoolUnitCode: UNIT_A,
        municipality: '0781',
        period: { from: '2026-09-01', to: '2026-11-20' },
        absenceRate: 0.23,
        unexcusedRate: 0.1,
        schoolYear: 7,
      });
      expectOnEducationClock(JSON.parse(message.value).flaggedAt);
      const bad = await http
        .post('/school-absence-flags')
        .set('Authorization', bearer('reporterA'))
        .send({ ...body, absenceRate: 1.5 });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toEqual([{ field: 'absenceRate', message: expect.any(String) }]);
    });
  });

  describe('shared interventions', () => {
    it('lists what arrived under consent for the child in the POST body, and nothing for a child without consent', async () => {
      const withConsent = randomPnr();
      const withoutConsent = randomPnr();
      const grantedData: ConsentGrantedV1 = {
        consentId: randomUUID(),
        child: { personnummer: withConsent },
        parties: ['education', 'social-services'],
        informationKinds: ['interventions'],
        purpose: 'coordinated-support',
        validFrom: '2026-01-01',
        validTo: '2030-12-31',
        grantedBy: 'both-guardians',
        grantedAt: '2026-11-01T10:00:00Z',
        recordedBy: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
      };
      const consents = consentLookupFrom([consentRecordFromGranted(grantedData)]);
      const started = (pnr: string) =>
        createEvent('samverkan.intervention.started.v1', {
          source: '/samverkan/social-services',
          subject: randomUUID(),
          municipality: '0781',
          data: {
            interventionId: randomUUID(),
            child: { personnummer: pnr },
            catalogCode: 'icdp',
            basis: 'after-decision',
            organisationUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
            startedAt: '2026-11-20T09:00:00+01:00',
          },
        });
      // The router: delivered under consent, withheld without it.
      const shared = started(withConsent);
      const sharedDecision = decide(shared, 'education', consents);
      expect(sharedDecision.outcome).toBe('full');
      const notShared = decide(started(withoutConsent), 'education', consents);
      expect(notShared.outcome).toBe('withheld');
      await produceEvents(AUDIENCE, [applyTransform(shared, sharedDecision, ROUTER_KEY) as CloudEvent]);

      const found = await eventually(
        async () => {
          const res = await http
            .post('/shared-interventions/search')
            .set('Authorization', bearer('studentHealthA'))
            .send({ personnummer: tenDigits(withConsent) });
          expect(res.status).toBe(200);
          expect(res.body.events).toHaveLength(1);
          return res.body.events[0] as Loose;
        },
        {
          describe: 'the shared intervention stored for the child',
          timeoutMs: 90_000,
          dump: async () => ({ educationGroupMembers: await groupMembers('education') }),
        },
      );
      expect(found).toEqual({
        kind: 'started',
        interventionId: shared.data.interventionId,
        referralId: null,
        catalogCode: 'icdp',
        basis: 'after-decision',
        unit: { agency: 'social-services', unitCode: 'ifo-barn-unga' },
        occurredAt: '2026-11-20T08:00:00.000Z',
        endReason: null,
      });
      const none = await http
        .post('/shared-interventions/search')
        .set('Authorization', bearer('studentHealthA'))
        .send({ personnummer: withoutConsent });
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ events: [] });
      const invalid = await http
        .post('/shared-interventions/search')
        .set('Authorization', bearer('studentHealthA'))
        .send({ personnummer: '191212121213' });
      expect(invalid.status).toBe(400);
      expect(invalid.text).not.toContain('191212121213');
    });
  });
});
