import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { CE_HEADERS, EVENT_EXAMPLES, type ProducerService, pseudonymize } from '@samverkan/contracts';
import { createScratchDatabase, dropScratchDatabase, eventually } from '@samverkan/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  adminKafka,
  collect,
  createNamespaceTopics,
  deleteTopics,
  fakePersonnummer,
  type Kafka,
  ROUTER_TEST_KEY,
  sourceEvent,
  SourceWriter,
  startRouterApp,
  uniqueName,
} from './router-test-kit';

jest.setTimeout(120_000);

const ifo = { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' } as const;
const school = { agency: 'education', unitCode: '12345678', municipality: '0781' } as const;

describe('router against the real stack', () => {
  let kafka: Kafka;
  let namespace: string;
  let topics: string[];
  let databaseUrl: string;
  let issuer: TestIssuer;
  let app: INestApplication;
  let writer: SourceWriter;
  let out: Awaited<ReturnType<typeof collect>>;
  let db: DataSource;
  /** A data owner of operations: owns no records, so both disclosure endpoints refuse it. */
  let dataOwner: string;
  /** The data owner of each producing agency: the search answers each with its own agency's records only. */
  const owners = {} as Record<ProducerService, string>;

  const audience = (name: string) => `${namespace}.audience.${name}`;
  const copiesOf = (eventId: string, name: string) =>
    out.on(audience(name)).filter((m) => m.headers[CE_HEADERS.id] === eventId);
  const search = (personnummer: string, token = owners.education) =>
    request(app.getHttpServer())
      .post('/disclosures/search')
      .set('Authorization', issuer.bearer(token))
      .send({ personnummer });
  const withholdingCounts = (token: string) =>
    request(app.getHttpServer()).get('/disclosures/withholdings').set('Authorization', issuer.bearer(token));

  beforeAll(async () => {
    kafka = adminKafka();
    namespace = `samverkan.test.${uniqueName('router')}`;
    topics = await createNamespaceTopics(kafka, namespace);
    databaseUrl = await createScratchDatabase('router_int');
    issuer = await createTestIssuer();
    dataOwner = await issuer.mintFor({ agency: 'operations', orgUnit: 'dpo', roles: [ROLES.DATA_OWNER] });
    for (const agency of ['education', 'social-services', 'leisure'] as const) {
      owners[agency] = await issuer.mintFor({ agency, orgUnit: 'dpo', roles: [ROLES.DATA_OWNER] });
    }
    app = await startRouterApp({ namespace, databaseUrl, issuer });
    writer = new SourceWriter(kafka, namespace);
    await writer.connect();
    out = await collect(
      kafka,
      topics.filter((t) => t.includes('.audience.') || t.includes('.dlq.')),
    );
    db = new DataSource({ type: 'postgres', url: databaseUrl });
    await db.initialize();
  });

  afterAll(async () => {
    await out?.close();
    await writer?.disconnect();
    await app?.close();
    await db?.destroy();
    await issuer?.cleanup();
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    if (topics) await deleteTopics(kafka, topics);
  });

  it('a filed report reaches social services in full and reporting pseudonymized, and not leisure', async () => {
    const pnr = fakePersonnummer(101);
    const filed = sourceEvent('samverkan.concern-report.filed.v1', 'education', pnr, {
      child: { personnummer: pnr, name: 'Integra Testbarn' },
      description: 'Beskrivning som aldrig får nå rapporteringen 7f3a',
      reporter: { role: 'teacher', name: 'Lärare Hemlig', contact: { email: 'hemlig@skola.example' } },
    });
    await writer.write('education', filed);

    const [full] = await eventually(
      () => {
        const found = copiesOf(filed.id, 'social-services');
        expect(found).toHaveLength(1);
        return found;
      },
      { describe: 'the filed report on audience.social-services', dump: () => out.messages.length },
    );
    expect(full.headers[CE_HEADERS.legalbasis]).toBe('duty-to-report');
    expect(full.headers[CE_HEADERS.type]).toBe('samverkan.concern-report.filed.v1');
    expect(JSON.parse(full.value)).toEqual(filed.data);
    expect(full.key).toBe(full.headers[CE_HEADERS.subject]);
    expect(full.key).not.toBe(filed.subject);

    const [pseudo] = await eventually(
      () => {
        const found = copiesOf(filed.id, 'reporting');
        expect(found).toHaveLength(1);
        return found;
      },
      { describe: 'the filed report on audience.reporting' },
    );
    expect(pseudo.headers[CE_HEADERS.legalbasis]).toBe('statistics-pseudonymized');
    expect(pseudo.key).toBe(pseudonymize(pnr, ROUTER_TEST_KEY));
    expect(pseudo.headers[CE_HEADERS.subject]).toBe(pseudonymize(pnr, ROUTER_TEST_KEY));
    const everything = `${pseudo.key}\n${JSON.stringify(pseudo.headers)}\n${pseudo.value}`;
    for (const leak of [
      pnr,
      pnr.slice(2),
      'Integra Testbarn',
      'Beskrivning som aldrig',
      '7f3a',
      'Lärare Hemlig',
      'hemlig@skola.example',
      filed.subject,
    ]) {
      expect(everything).not.toContain(leak);
    }
    expect(JSON.parse(pseudo.value)).toMatchObject({
      categories: filed.data.categories,
      reportId: filed.data.reportId,
    });

    // All copies of one event are written in one Kafka transaction: once these are visible, any
    // copy to leisure or back to education would be too.
    expect(copiesOf(filed.id, 'leisure')).toEqual([]);
    expect(copiesOf(filed.id, 'education')).toEqual([]);

    const log = await search(pnr).expect(200);
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({
        eventId: filed.id,
        from: 'education',
        to: 'social-services',
        outcome: 'full',
        legalBasis: 'duty-to-report',
        legalReference: expect.stringContaining('OSL (2009:400) 10 kap. 28 §'),
      }),
      expect.objectContaining({ eventId: filed.id, to: 'reporting', outcome: 'pseudonymized' }),
    ]);
    expect(log.body.withholdings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: filed.id, to: 'education', reason: 'own-agency' }),
        expect.objectContaining({ eventId: filed.id, to: 'leisure', reason: 'no-legal-basis' }),
      ]),
    );
    // Only education's data was routed about this child: the other agencies' data owners see nothing.
    for (const other of [owners['social-services'], owners.leisure]) {
      expect((await search(pnr, other).expect(200)).body).toEqual({ deliveries: [], withholdings: [] });
    }
  });

  it('a decision reaches the reporting school minimized to report id, outcome and date', async () => {
    const pnr = fakePersonnummer(102);
    const decided = sourceEvent('samverkan.concern-report.decided.v1', 'social-services', pnr, {
      outcome: 'investigation-not-opened',
      decidingUnit: ifo,
      reporterUnit: school,
    });
    await writer.write('social-services', decided);
    const [feedback] = await eventually(
      () => {
        const found = copiesOf(decided.id, 'education');
        expect(found).toHaveLength(1);
        return found;
      },
      { describe: 'the decision on audience.education' },
    );
    expect(JSON.parse(feedback.value)).toEqual({
      reportId: decided.data.reportId,
      outcome: 'investigation-not-opened',
      decidedAt: decided.data.decidedAt,
    });
    expect(feedback.headers[CE_HEADERS.legalbasis]).toBe('reporter-feedback');
    expect(feedback.key).toBe(decided.data.reportId);
    expect(`${JSON.stringify(feedback.headers)}${feedback.value}`).not.toContain(pnr);
    expect(copiesOf(decided.id, 'leisure')).toEqual([]);
  });

  it('interventions cross to education under consent, and stop at the withdrawal; both are in the log', async () => {
    const pnr = fakePersonnummer(103);
    const consentId = '2b9c3d4e-5f60-4a71-8b92-a3b4c5d6e7f8';
    const granted = sourceEvent('samverkan.consent.granted.v1', 'education', pnr, {
      consentId,
      parties: ['education', 'social-services'],
      informationKinds: ['interventions'],
      validFrom: '2026-01-01',
      validTo: '2099-12-31',
      recordedBy: school,
    });
    const started = (n: number) =>
      sourceEvent('samverkan.intervention.started.v1', 'social-services', pnr, {
        interventionId: `7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a0${String(n).padStart(2, '0')}`,
        organisationUnit: ifo,
      });
    const before = started(1);
    // Without consent first: withheld.
    await writer.write('social-services', before);
    await eventually(() => expect(copiesOf(before.id, 'reporting')).toHaveLength(1), {
      describe: 'the first intervention routed',
    });
    expect(copiesOf(before.id, 'education')).toEqual([]);

    await writer.write('education', granted);
    await eventually(() => expect(copiesOf(granted.id, 'social-services')).toHaveLength(1), {
      describe: 'the consent routed to its other party',
    });
    const during = started(2);
    await writer.write('social-services', during);
    const [shared] = await eventually(
      () => {
        const found = copiesOf(during.id, 'education');
        expect(found).toHaveLength(1);
        return found;
      },
      { describe: 'the intervention under consent on audience.education' },
    );
    expect(shared.headers[CE_HEADERS.legalbasis]).toBe('consent');
    expect(JSON.parse(shared.value)).toEqual(during.data);

    const withdrawn = sourceEvent('samverkan.consent.withdrawn.v1', 'education', pnr, {
      consentId,
      recordedBy: school,
    });
    await writer.write('education', withdrawn);
    await eventually(() => expect(copiesOf(withdrawn.id, 'social-services')).toHaveLength(1), {
      describe: 'the withdrawal routed',
    });
    const after = started(3);
    await writer.write('social-services', after);
    await eventually(() => expect(copiesOf(after.id, 'reporting')).toHaveLength(1), {
      describe: 'the intervention after the withdrawal routed',
    });
    expect(copiesOf(after.id, 'education')).toEqual([]);
    expect(copiesOf(after.id, 'leisure')).toEqual([]);

    const log = await search(pnr, owners['social-services']).expect(200);
    const toEducation = (id: string) =>
      [...log.body.deliveries, ...log.body.withholdings].filter(
        (e: { eventId: string; to: string }) => e.eventId === id && e.to === 'education',
      );
    expect(toEducation(before.id)).toEqual([expect.objectContaining({ reason: 'consent-missing' })]);
    expect(toEducation(during.id)).toEqual([
      expect.objectContaining({ outcome: 'full', legalBasis: 'consent', consentId, from: 'social-services' }),
    ]);
    expect(toEducation(after.id)).toEqual([
      expect.objectContaining({ reason: 'consent-withdrawn', consentId }),
    ]);

    // Each data owner sees its own agency's records about the child, and nothing of the other's:
    // not even that the other agency disclosed or withheld something.
    const idsOf = (body: {
      deliveries: Array<{ eventId: string }>;
      withholdings: Array<{ eventId: string }>;
    }) => new Set([...body.deliveries, ...body.withholdings].map((e) => e.eventId));
    const fromOf = (body: { deliveries: Array<{ from: string }>; withholdings: Array<{ from: string }> }) =>
      new Set([...body.deliveries, ...body.withholdings].map((e) => e.from));
    expect(fromOf(log.body)).toEqual(new Set(['social-services']));
    expect(idsOf(log.body)).toEqual(new Set([before.id, during.id, after.id]));
    const educationLog = await search(pnr, owners.education).expect(200);
    expect(fromOf(educationLog.body)).toEqual(new Set(['education']));
    expect(idsOf(educationLog.body)).toEqual(new Set([granted.id, withdrawn.id]));
    expect(educationLog.body.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: granted.id, to: 'social-services', legalBasis: 'consent' }),
      ]),
    );
    expect(educationLog.body.withholdings.length).toBeGreaterThan(0);
    expect((await search(pnr, owners.leisure).expect(200)).body).toEqual({
      deliveries: [],
      withholdings: [],
    });

    const withdrawnIntervention = {
      reason: 'consent-withdrawn',
      eventType: 'samverkan.intervention.started.v1',
      from: 'social-services',
      to: 'education',
    };
    const counts = await withholdingCounts(owners['social-services']).expect(200);
    expect(counts.body).toEqual(expect.arrayContaining([{ ...withdrawnIntervention, count: 1 }]));
    // The school's data owner is not told that social services withheld an intervention from it.
    const educationCounts = await withholdingCounts(owners.education).expect(200);
    expect(educationCounts.body).not.toEqual(
      expect.arrayContaining([expect.objectContaining(withdrawnIntervention)]),
    );
  });

  it('a withdrawal routed before its grant still wins, and a grant from a non-party is not recorded', async () => {
    const pnr = fakePersonnummer(104);
    const consentId = '3c0d4e5f-6071-4b82-9ca3-b4c5d6e7f809';
    const terms = {
      parties: ['education', 'social-services'] as ('education' | 'social-services')[],
      informationKinds: ['interventions' as const],
      validFrom: '2026-01-01',
      validTo: '2099-12-31',
    };
    // Withdrawn at social services before the grant recorded at school has been routed.
    const withdrawn = sourceEvent('samverkan.consent.withdrawn.v1', 'social-services', pnr, {
      consentId,
      recordedBy: ifo,
    });
    await writer.write('social-services', withdrawn);
    await eventually(() => expect(copiesOf(withdrawn.id, 'reporting')).toHaveLength(1), {
      describe: 'the early withdrawal routed',
    });
    const granted = sourceEvent('samverkan.consent.granted.v1', 'education', pnr, {
      consentId,
      ...terms,
      recordedBy: school,
    });
    // Leisure records a consent between two other agencies: not its to record.
    const foreign = sourceEvent('samverkan.consent.granted.v1', 'leisure', pnr, {
      consentId: '4d1e5f60-7182-4c93-8da4-c5d6e7f8091a',
      ...terms,
      recordedBy: { agency: 'leisure', unitCode: 'fritid', municipality: '0781' },
    });
    await writer.write('education', granted);
    await writer.write('leisure', foreign);
    await eventually(
      () => {
        expect(copiesOf(granted.id, 'social-services')).toHaveLength(1);
        expect(copiesOf(foreign.id, 'reporting')).toHaveLength(1);
      },
      { describe: 'both grants routed' },
    );
    const started = sourceEvent('samverkan.intervention.started.v1', 'social-services', pnr, {
      organisationUnit: ifo,
    });
    await writer.write('social-services', started);
    await eventually(() => expect(copiesOf(started.id, 'reporting')).toHaveLength(1), {
      describe: 'the intervention routed',
    });
    expect(copiesOf(started.id, 'education')).toEqual([]);
    const log = await search(pnr, owners['social-services']).expect(200);
    expect(
      log.body.withholdings.filter(
        (w: { eventId: string; to: string }) => w.eventId === started.id && w.to === 'education',
      ),
    ).toEqual([expect.objectContaining({ reason: 'consent-withdrawn', consentId })]);
    expect(
      await db.query('SELECT consent_id FROM router_consent WHERE consent_id = $1', [foreign.data.consentId]),
    ).toEqual([]);
  });

  it("GET /disclosures/withholdings counts each agency's own withholdings only", async () => {
    type Count = { reason: string; eventType: string; from: string; to: string; count: number };
    // Every agency's data has been withheld somewhere by now (the tests above), so an unfiltered
    // answer would show each owner rows from the other agencies.
    const all: Array<Omit<Count, 'count'> & { count: string }> = await db.query(
      `SELECT withhold_reason AS reason, event_type AS "eventType", producer AS "from", audience AS "to", count(*) AS count
         FROM router_disclosure_log WHERE outcome = 'withheld'
        GROUP BY 1, 2, 3, 4`,
    );
    expect(new Set(all.map((r) => r.from))).toEqual(new Set(['education', 'social-services', 'leisure']));

    const seen: Count[] = [];
    for (const agency of ['education', 'social-services', 'leisure'] as const) {
      const body: Count[] = (await withholdingCounts(owners[agency]).expect(200)).body;
      expect(body.length).toBeGreaterThan(0);
      expect(body.filter((c) => c.from !== agency)).toEqual([]);
      seen.push(...body);
    }
    // Each owner gets all of its own: together the three answers are the whole log's withholdings.
    const key = (c: Omit<Count, 'count'> & { count: number | string }) =>
      `${c.reason}|${c.eventType}|${c.from}|${c.to}|${Number(c.count)}`;
    expect(seen.map(key).sort()).toEqual(all.map(key).sort());
    // Two interventions (two children) withheld from school after a withdrawal, both social services'.
    expect(seen).toEqual(
      expect.arrayContaining([
        {
          reason: 'consent-withdrawn',
          eventType: 'samverkan.intervention.started.v1',
          from: 'social-services',
          to: 'education',
          count: 2,
        },
      ]),
    );

    await request(app.getHttpServer()).get('/disclosures/withholdings').expect(401);
    const socialWorker = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    await withholdingCounts(socialWorker).expect(403);
    // Reporting and operations own no data: refused, not an empty list that would read as "nothing withheld".
    const reportingOwner = await issuer.mintFor({
      agency: 'reporting',
      orgUnit: 'dpo',
      roles: [ROLES.DATA_OWNER],
    });
    for (const token of [dataOwner, reportingOwner]) await withholdingCounts(token).expect(403);
  });

  it('POST /disclosures/search needs a token and the data-owner role, and validates the personnummer', async () => {
    const pnr = fakePersonnummer(101);
    await request(app.getHttpServer()).post('/disclosures/search').send({ personnummer: pnr }).expect(401);
    const socialWorker = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    const forbidden = await search(pnr, socialWorker).expect(403);
    expect(JSON.stringify(forbidden.body)).not.toContain(pnr);
    // Data owners of agencies that produce no data own no records: refused, not an empty answer.
    const reportingOwner = await issuer.mintFor({
      agency: 'reporting',
      orgUnit: 'dpo',
      roles: [ROLES.DATA_OWNER],
    });
    for (const token of [dataOwner, reportingOwner]) {
      expect(JSON.stringify((await search(pnr, token).expect(403)).body)).not.toContain(pnr);
    }
    const invalid = await search('201501011234').expect(400);
    expect(JSON.stringify(invalid.body)).not.toContain('201501011234');
    // Another child: nothing about it was routed.
    expect((await search(fakePersonnummer(999)).expect(200)).body).toEqual({
      deliveries: [],
      withholdings: [],
    });
    // The 10-digit spelling finds the same child.
    const short = await search(pnr.slice(2)).expect(200);
    expect(short.body.deliveries.length).toBeGreaterThan(0);
    await request(app.getHttpServer()).get('/health').expect(200);
  });

  it('keeps no personnummer, name or free text in its own database', async () => {
    const dump = JSON.stringify([
      await db.query('SELECT * FROM router_disclosure_log'),
      await db.query('SELECT * FROM router_consent'),
    ]);
    expect(dump).toContain('consent-withdrawn');
    for (const n of [101, 102, 103, 104]) {
      expect(dump).not.toContain(fakePersonnummer(n));
      expect(dump).not.toContain(fakePersonnummer(n).slice(2));
    }
    expect(dump).not.toContain('Integra Testbarn');
    expect(dump).not.toContain(EVENT_EXAMPLES['samverkan.concern-report.filed.v1'].description);
    expect(dump).not.toContain('Beskrivning');
  });
});
