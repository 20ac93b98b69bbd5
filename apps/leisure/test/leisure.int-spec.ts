import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { addCalendarDays, instantOf, localDateOf } from '@samverkan/calendar';
import { audienceTopic, createEvent, sourceTopic, type InterventionReferredV1 } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PlacesAvailableService } from '../src/places/places-available.service';
import {
  collectTopics,
  produceEvents,
  randomPnr,
  startLeisure,
  type CollectedMessage,
  type LeisureUnderTest,
} from './support/leisure-test-kit';

jest.setTimeout(240_000);

// One file boots the app: every instance joins the consumer group `leisure` (the only group the
// principal's ACL allows), so a second booted file would split the audience's partitions.

const SOURCE = sourceTopic('leisure');
const AUDIENCE = audienceTopic('leisure');
const UNIT = 'fritid-norr';
const OTHER_UNIT = 'fritid-soder';
const AF = 'aktivt-foraldraskap-3-12';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies and event data are read field by field
type Loose = Record<string, any>;

/** Weekly sessions from `firstInDays` days after today (Stockholm), at 18:00, as the plan prescribes. */
function sessions(count: number, minutes: number, firstInDays: number, today: string, intervalDays = 7) {
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    date: addCalendarDays(today, firstInDays + intervalDays * i),
    startTime: '18:00',
    minutes,
  }));
}

describe('apps/leisure against the real stack', () => {
  let leisure: LeisureUnderTest;
  let http: ReturnType<typeof request>;
  let db: DataSource;
  let source: { messages: CollectedMessage[]; close: () => Promise<void> };
  const tokens: Record<string, string> = {};
  const realNow = new Date();
  const today = localDateOf(realNow);

  const as = (name: string) => ({ Authorization: `Bearer ${tokens[name]}` });
  const events = (type: string, match: (data: Loose) => boolean) =>
    source.messages
      .filter((m) => m.headers.ce_type === type)
      .map((m) => ({ ...m, data: JSON.parse(m.value) as Loose }))
      .filter((m) => match(m.data));
  const forCourse = (type: string, courseId: string) => events(type, (d) => d.courseId === courseId);

  async function awaitEvents(type: string, courseId: string, count: number) {
    return eventually(
      () => {
        const found = forCourse(type, courseId);
        expect(found).toHaveLength(count);
        return found;
      },
      { describe: `${count} × ${type} for course ${courseId} on ${SOURCE}`, timeoutMs: 60_000 },
    );
  }

  function courseBody(overrides: Loose = {}): Loose {
    return {
      programmeCode: AF,
      organisingUnit: UNIT,
      municipality: '0781',
      district: 'norr',
      capacity: 2,
      sessions: sessions(6, 180, 10, today),
      language: 'sv',
      location: 'Fritidsgården Norr',
      targetAges: { min: 3, max: 12 },
      ...overrides,
    };
  }

  async function schedule(overrides: Loose = {}): Promise<Loose> {
    const res = await http.post('/courses').set(as('admin')).send(courseBody(overrides));
    expect(res.status).toBe(201);
    return res.body as Loose;
  }

  const enrol = (courseId: string, body: Loose, token = 'eservice') =>
    http.post(`/courses/${courseId}/enrollments`).set(as(token)).send(body);
  const parent = (pnr = randomPnr(1975, 20)) => ({ participant: { role: 'parent', personnummer: pnr } });

  beforeAll(async () => {
    source = await collectTopics([SOURCE]);
    leisure = await startLeisure();
    leisure.clock.set(realNow);
    http = request(leisure.app.getHttpServer());
    db = leisure.app.get(DataSource);
    const mint = (
      agency: 'leisure' | 'education' | 'social-services',
      orgUnit: string,
      roles: string[],
      subject: string,
    ) => leisure.issuer.mintFor({ agency, orgUnit, roles, subject });
    tokens.admin = await mint('leisure', UNIT, ['course-admin'], 'admin-norr');
    tokens.otherAdmin = await mint('leisure', OTHER_UNIT, ['course-admin'], 'admin-soder');
    tokens.eservice = await mint('leisure', 'e-tjanst', ['e-service'], 'e-service-client');
    tokens.reporter = await mint('education', '12345678', ['reporter'], 'teacher');
  });

  // Tests that move the clock into a course's sessions put it back, even when they fail.
  afterEach(() => leisure?.clock.set(realNow));

  afterAll(async () => {
    await source?.close();
    await leisure?.close();
  });

  describe('programmes and the place exchange', () => {
    it('GET /programmes lists the catalog course programmes with session plan and completion rule', async () => {
      const res = await http.get('/programmes').set(as('reporter')).expect(200);
      const codes = (res.body as Loose[]).map((p) => p.code);
      expect(codes).toEqual(
        expect.arrayContaining([
          AF,
          'aktivt-foraldraskap-tonar-12-16',
          'icdp',
          'komet',
          'abc',
          'opp',
          'skilda-varldar',
          'cap',
        ]),
      );
      expect(codes).not.toContain('familjebehandling');
      expect((res.body as Loose[]).find((p) => p.code === AF)).toMatchObject({
        sessionPlan: { sessions: 6, minutesPerSession: 180 },
        completionRule: { kind: 'share-of-sessions', minShare: 0.8 },
        lateEnrolment: { kind: 'until-session', lastSession: 2 },
        anonymousParticipation: true,
      });
      await http.get('/programmes').expect(401);
    });

    it('POST /courses publishes course.scheduled.v1 keyed by the course, and the exchange filters by programme, district and free places', async () => {
      const course = await schedule({ district: `d-${randomUUID().slice(0, 6)}` });
      expect(course).toMatchObject({
        programmeCode: AF,
        capacity: 2,
        placesAvailable: 2,
        open: true,
        status: 'scheduled',
      });
      const [scheduled] = await awaitEvents('samverkan.course.scheduled.v1', course.id, 1);
      expect(scheduled.key).toBe(course.id);
      expect(scheduled.headers).toMatchObject({
        ce_source: '/samverkan/leisure',
        ce_subject: course.id,
        ce_municipality: '0781',
      });
      expect(scheduled.data).toMatchObject({
        catalogCode: AF,
        organisingUnit: {
          agency: 'leisure',
          unitCode: UNIT,
          municipality: '0781',
          district: course.district,
        },
        capacity: 2,
        language: 'sv',
        targetAges: { min: 3, max: 12 },
      });
      expect(scheduled.data.sessions).toHaveLength(6);

      const listed = await http
        .get(`/courses?program=${AF}&district=${course.district}&hasPlaces=true`)
        .set(as('reporter'))
        .expect(200);
      expect((listed.body as Loose[]).map((c) => c.id)).toEqual([course.id]);
      await enrol(course.id, parent()).expect(201);
      await enrol(course.id, parent()).expect(201);
      const full = await http
        .get(`/courses?program=${AF}&district=${course.district}&hasPlaces=true`)
        .set(as('reporter'))
        .expect(200);
      expect(full.body).toEqual([]);
      const all = await http.get(`/courses?district=${course.district}`).set(as('reporter')).expect(200);
      expect((all.body as Loose[]).map((c) => [c.id, c.placesAvailable])).toEqual([[course.id, 0]]);
      expect((await http.get(`/courses/${course.id}`).set(as('eservice')).expect(200)).body).toMatchObject({
        enrolled: 2,
      });
    });

    it('400 per field, validated against the catalog, nothing stored or published', async () => {
      const before = Number((await db.query(`SELECT count(*) AS n FROM courses`))[0].n);
      const res = await http
        .post('/courses')
        .set(as('admin'))
        .send(courseBody({ capacity: 0, language: 'svenska', sessions: sessions(5, 180, 10, today) }))
        .expect(400);
      expect((res.body.fields as Loose[]).map((f) => f.field).sort()).toEqual(['capacity', 'language']);
      const plan = await http
        .post('/courses')
        .set(as('admin'))
        .send(courseBody({ targetAges: { min: 1, max: 12 }, sessions: sessions(5, 180, 10, today) }))
        .expect(400);
      expect((plan.body.fields as Loose[]).map((f) => f.field).sort()).toEqual(['sessions', 'targetAges']);
      const notCourse = await http
        .post('/courses')
        .set(as('admin'))
        .send(courseBody({ programmeCode: 'sip' }))
        .expect(400);
      expect(notCourse.body.fields).toEqual([expect.objectContaining({ field: 'programmeCode' })]);
      expect(Number((await db.query(`SELECT count(*) AS n FROM courses`))[0].n)).toBe(before);
      await http.get('/courses/not-a-uuid').set(as('admin')).expect(400);
      await http.get(`/courses/${randomUUID()}`).set(as('admin')).expect(404);
    });

    it('401 without a token, 403 for the e-service, another role, or another unit', async () => {
      await http.post('/courses').send(courseBody()).expect(401);
      await http.post('/courses').set(as('eservice')).send(courseBody()).expect(403);
      await http.post('/courses').set(as('reporter')).send(courseBody()).expect(403);
      await http.post('/courses').set(as('otherAdmin')).send(courseBody()).expect(403);
      await http.get('/courses').expect(401);
    });
  });

  describe('a course is scheduled, filled, waitlisted, attended and completed', () => {
    let course: Loose;
    const ids: Record<string, string> = {};
    const pnrA = randomPnr(1975, 20);

    it('fills the places, then waitlists with positions; a duplicate is 409', async () => {
      course = await schedule();
      const a = await enrol(course.id, parent(pnrA)).expect(201);
      expect(a.body).toMatchObject({
        status: 'enrolled',
        channel: 'self-registration',
        position: null,
        identified: true,
      });
      // Anonymous participant on a programme given as a service: an alias and, at their choice, a contact.
      const b = await enrol(course.id, {
        participant: { role: 'parent', alias: 'Pappa B', contact: { phone: '070-123 45 67' } },
      }).expect(201);
      expect(b.body).toMatchObject({ status: 'enrolled', identified: false, alias: 'Pappa B' });
      const c = await enrol(course.id, parent(), 'admin').expect(201);
      expect(c.body).toMatchObject({ status: 'waitlisted', position: 1 });
      const d = await enrol(course.id, parent()).expect(201);
      expect(d.body).toMatchObject({ status: 'waitlisted', position: 2 });
      Object.assign(ids, { a: a.body.id, b: b.body.id, c: c.body.id, d: d.body.id });

      const dup = await enrol(course.id, {
        participant: { role: 'parent', personnummer: `${pnrA.slice(2, 8)}-${pnrA.slice(8)}` },
      }).expect(409);
      expect(dup.body).toMatchObject({ error: 'CONFLICT' });
      expect(JSON.stringify(dup.body)).not.toContain(pnrA);
      await enrol(course.id, {
        participant: { role: 'parent', alias: 'pappa b', contact: { phone: '0701234567' } },
      }).expect(409);

      const enrolled = await awaitEvents('samverkan.course.participant-enrolled.v1', course.id, 2);
      const anon = enrolled.find((e) => e.data.enrollmentId === ids.b)!;
      expect(anon.data.participant).toEqual({ role: 'parent', alias: 'Pappa B' });
      expect(anon.key).toBe(ids.b);
      const identified = enrolled.find((e) => e.data.enrollmentId === ids.a)!;
      expect(identified.data).toMatchObject({
        participant: { role: 'parent', personnummer: pnrA },
        channel: 'self-registration',
        fromWaitlist: false,
        late: false,
      });
      // The key is an opaque subject, never the personnummer.
      expect(identified.key).not.toContain(pnrA.slice(2));
      expect(JSON.stringify(identified.headers)).not.toContain(pnrA.slice(2));
      const waitlisted = await awaitEvents('samverkan.course.participant-waitlisted.v1', course.id, 2);
      expect(waitlisted.map((w) => [w.data.enrollmentId, w.data.position]).sort()).toEqual(
        [
          [ids.c, 1],
          [ids.d, 2],
        ].sort(),
      );
    });

    it('a withdrawal promotes the first on the waitlist automatically', async () => {
      const res = await http
        .delete(`/courses/${course.id}/enrollments/${ids.b}`)
        .set(as('eservice'))
        .expect(200);
      expect(res.body).toMatchObject({ status: 'withdrawn' });
      const list = await http.get(`/courses/${course.id}/enrollments`).set(as('admin')).expect(200);
      const byId = new Map((list.body as Loose[]).map((e) => [e.id, e]));
      expect(byId.get(ids.c)).toMatchObject({ status: 'enrolled', fromWaitlist: true, position: null });
      expect(byId.get(ids.d)).toMatchObject({ status: 'waitlisted', position: 1 });
      const withdrawn = await awaitEvents('samverkan.course.participant-withdrawn.v1', course.id, 1);
      expect(withdrawn[0].data).toMatchObject({
        enrollmentId: ids.b,
        fromWaitlist: false,
        reason: 'participant-request',
      });
      const enrolled = await awaitEvents('samverkan.course.participant-enrolled.v1', course.id, 3);
      expect(enrolled.find((e) => e.data.enrollmentId === ids.c)!.data).toMatchObject({
        fromWaitlist: true,
        channel: 'self-registration',
      });
      // The freed place was taken: nothing to announce.
      expect(forCourse('samverkan.course.places-available.v1', course.id)).toEqual([]);
      await http.delete(`/courses/${course.id}/enrollments/${ids.b}`).set(as('eservice')).expect(409);
      await http
        .post(`/courses/${course.id}/enrollments/${ids.c}/withdraw`)
        .set(as('otherAdmin'))
        .send({})
        .expect(403);
      await http
        .post(`/courses/${course.id}/enrollments/${ids.c}/withdraw`)
        .set(as('admin'))
        .send({ reason: 'bored' })
        .expect(400);
    });

    it('attendance: not before the session, every participant holding a place, once', async () => {
      await http
        .post(`/courses/${course.id}/sessions/1/attendance`)
        .set(as('admin'))
        .send({
          participants: [
            { enrollmentId: ids.a, present: true },
            { enrollmentId: ids.c, present: true },
          ],
        })
        .expect(409);
      leisure.clock.set(instantOf(course.sessions[0].date, '21:00'));
      const missing = await http
        .post(`/courses/${course.id}/sessions/1/attendance`)
        .set(as('admin'))
        .send({
          participants: [
            { enrollmentId: ids.a, present: true },
            { enrollmentId: ids.d, present: true },
          ],
        })
        .expect(400);
      expect((missing.body.fields as Loose[]).map((f) => f.field).sort()).toEqual([
        'participants',
        'participants.1.enrollmentId',
      ]);
      await http
        .post(`/courses/${course.id}/sessions/7/attendance`)
        .set(as('admin'))
        .send({ participants: [{ enrollmentId: ids.a, present: true }] })
        .expect(404);
      await http
        .post(`/courses/${course.id}/sessions/x/attendance`)
        .set(as('admin'))
        .send({ participants: [{ enrollmentId: ids.a, present: true }] })
        .expect(400);
      await http
        .post(`/courses/${course.id}/sessions/1/attendance`)
        .set(as('eservice'))
        .send({ participants: [] })
        .expect(403);
      await http
        .post(`/courses/${course.id}/sessions/1/attendance`)
        .set(as('otherAdmin'))
        .send({ participants: [{ enrollmentId: ids.a, present: true }] })
        .expect(403);
    });

    it('every session recorded: completion by the catalog rule, course.completed with the summary, course closed', async () => {
      // A attends all six; C (promoted) misses two: 4/6 < 80 %.
      for (const s of course.sessions as Loose[]) {
        leisure.clock.set(instantOf(s.date, '21:00'));
        const res = await http
          .post(`/courses/${course.id}/sessions/${s.number}/attendance`)
          .set(as('admin'))
          .send({
            participants: [
              { enrollmentId: ids.a, present: true },
              { enrollmentId: ids.c, present: s.number > 2 },
            ],
          })
          .expect(200);
        expect(res.body).toMatchObject({ sessionNumber: s.number, courseCompleted: s.number === 6 });
      }
      await http
        .post(`/courses/${course.id}/sessions/6/attendance`)
        .set(as('admin'))
        .send({ participants: [{ enrollmentId: ids.a, present: true }] })
        .expect(409);

      const attendance = await awaitEvents('samverkan.course.attendance-recorded.v1', course.id, 12);
      expect(attendance.filter((e) => e.data.enrollmentId === ids.c && e.data.attended)).toHaveLength(4);
      const completed = await awaitEvents('samverkan.course.participant-completed.v1', course.id, 1);
      expect(completed[0].data).toMatchObject({
        enrollmentId: ids.a,
        sessionsAttended: 6,
        sessionsPlanned: 6,
        participant: { personnummer: pnrA },
      });
      const [closed] = await awaitEvents('samverkan.course.completed.v1', course.id, 1);
      expect(closed.key).toBe(course.id);
      expect(closed.data.summary).toEqual({
        capacity: 2,
        enrolled: 3,
        completed: 1,
        notCompleted: 1,
        withdrawn: 1,
        waitlisted: 1,
        sessionsHeld: 6,
        sessionsPlanned: 6,
      });
      const view = await http.get(`/courses/${course.id}`).set(as('admin')).expect(200);
      expect(view.body).toMatchObject({ status: 'completed', open: false, summary: { completed: 1 } });
      await enrol(course.id, parent()).expect(409);
      leisure.clock.set(realNow);
    });
  });

  describe('identity, late enrolment and concurrency', () => {
    it('a course given after a decision requires the personnummer', async () => {
      const komet = await schedule({
        programmeCode: 'komet',
        basis: 'after-decision',
        capacity: 10,
        sessions: sessions(11, 150, 5, today),
        targetAges: { min: 3, max: 11 },
      });
      expect(komet.basis).toBe('after-decision');
      const res = await enrol(komet.id, { participant: { role: 'parent', alias: 'Anonym' } }).expect(400);
      expect(res.body.fields).toEqual([expect.objectContaining({ field: 'participant.personnummer' })]);
      expect(JSON.stringify(res.body)).not.toContain('Anonym');
      await enrol(komet.id, parent()).expect(201);
    });

    it("enrolling after the start follows the programme's rule", async () => {
      const course = await schedule({ capacity: 5 });
      leisure.clock.set(instantOf(course.sessions[0].date, '21:00'));
      const late = await enrol(course.id, parent()).expect(201);
      expect(late.body).toMatchObject({ status: 'enrolled', late: true });
      leisure.clock.set(instantOf(course.sessions[1].date, '21:00'));
      const closed = await enrol(course.id, parent()).expect(409);
      expect(closed.body).toMatchObject({ error: 'INVALID_STATE' });
      leisure.clock.set(realNow);
    });

    it('simultaneous enrolments for the last places never overbook', async () => {
      const course = await schedule({ capacity: 2 });
      const results = await Promise.all(Array.from({ length: 6 }, () => enrol(course.id, parent())));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
      const statuses = results.map((r) => r.body.status as string);
      expect(statuses.filter((s) => s === 'enrolled')).toHaveLength(2);
      expect(
        results
          .filter((r) => r.body.status === 'waitlisted')
          .map((r) => r.body.position)
          .sort(),
      ).toEqual([1, 2, 3, 4]);
      const [row] = await db.query(`SELECT enrolled_count, waitlist_count FROM courses WHERE id = $1`, [
        course.id,
      ]);
      expect(row).toEqual({ enrolled_count: 2, waitlist_count: 4 });
      const holders = await db.query(
        `SELECT count(*)::int AS n FROM enrollments WHERE course_id = $1 AND status = 'enrolled'`,
        [course.id],
      );
      expect(holders[0].n).toBe(2);
    });

    it('enrolment needs a token with course-admin or e-service', async () => {
      const course = await schedule();
      await enrol(course.id, parent(), 'missing').expect(401);
      await enrol(course.id, parent(), 'reporter').expect(403);
      await enrol(randomUUID(), parent()).expect(404);
      const res = await enrol(course.id, { participant: { role: 'parent' } }).expect(400);
      expect(res.body.fields).toEqual([expect.objectContaining({ field: 'participant.alias' })]);
    });
  });

  describe('places available close to the start', () => {
    it('a withdrawal that frees a place nobody waits for is announced; once', async () => {
      const course = await schedule({ capacity: 2 });
      const first = await enrol(course.id, parent()).expect(201);
      await enrol(course.id, parent()).expect(201);
      await http
        .post(`/courses/${course.id}/enrollments/${first.body.id}/withdraw`)
        .set(as('admin'))
        .send({ reason: 'moved' })
        .expect(200);
      const [announced] = await awaitEvents('samverkan.course.places-available.v1', course.id, 1);
      expect(announced.data).toMatchObject({
        placesAvailable: 1,
        capacity: 2,
        startsOn: course.startsOn,
        language: 'sv',
      });
      // The periodic check does not announce the same free place again (its outbox holds one announcement).
      await leisure.app.get(PlacesAvailableService).sweep(leisure.clock.now());
      const announcements = await db.query(
        `SELECT count(*)::int AS n FROM messaging_outbox WHERE message_key = $1 AND headers->>'ce_type' = $2`,
        [course.id, 'samverkan.course.places-available.v1'],
      );
      expect(announcements[0].n).toBe(1);
    });

    it('the periodic check announces courses that come within the window with free places, and not those further off', async () => {
      const near = await schedule({ capacity: 3, sessions: sessions(6, 180, 14, today) });
      const far = await schedule({ capacity: 3, sessions: sessions(6, 180, 15, today) });
      await leisure.app.get(PlacesAvailableService).sweep(leisure.clock.now());
      const [announced] = await awaitEvents('samverkan.course.places-available.v1', near.id, 1);
      expect(announced.data.placesAvailable).toBe(3);
      expect(forCourse('samverkan.course.places-available.v1', far.id)).toEqual([]);
    });
  });

  describe('referrals from the leisure audience', () => {
    it('a referred event delivered to leisure enables enrolment by its referral id', async () => {
      const group = await schedule({
        programmeCode: 'skilda-varldar',
        capacity: 8,
        sessions: sessions(10, 120, 10, today),
        targetAges: { min: 7, max: 13 },
      });
      const child = randomPnr(2014, 5);
      const referralId = randomUUID();
      const referred = createEvent('samverkan.intervention.referred.v1', {
        source: '/samverkan/social-services',
        subject: randomUUID(),
        municipality: '0781',
        legalbasis: 'consent',
        data: {
          referralId,
          child: { personnummer: child },
          catalogCode: 'skilda-varldar',
          basis: 'service-without-needs-assessment',
          referringUnit: { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' },
          courseId: group.id,
          referredAt: new Date().toISOString(),
        } satisfies InterventionReferredV1,
      });
      await enrol(group.id, { referralId }, 'admin').expect(404);
      await produceEvents(AUDIENCE, [referred, referred]);
      await eventually(
        async () => {
          const rows = await db.query(
            `SELECT child_personnummer, legal_basis FROM referrals WHERE referral_id = $1`,
            [referralId],
          );
          expect(rows).toEqual([{ child_personnummer: child, legal_basis: 'consent' }]);
        },
        { describe: 'the referral in the leisure database', timeoutMs: 90_000 },
      );
      await enrol(group.id, { referralId }, 'eservice').expect(403);
      const res = await enrol(group.id, { referralId }, 'admin').expect(201);
      expect(res.body).toMatchObject({ status: 'enrolled', channel: 'referral', identified: true });
      await enrol(group.id, { referralId }, 'admin').expect(409);
      const [enrolled] = await awaitEvents('samverkan.course.participant-enrolled.v1', group.id, 1);
      expect(enrolled.data).toMatchObject({
        channel: 'referral',
        referralId,
        participant: { role: 'child', personnummer: child },
        child: { personnummer: child },
      });
    });
  });
});
