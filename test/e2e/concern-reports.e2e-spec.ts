import { createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { audienceTopic, CE_HEADERS, pseudonymize, stockholmDateOf } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import { call, collectTopics, type RunningApp, startApp, uniqueName } from './support/hub-apps';

// Issue 3 end to end: education, the router and social services, each its own process with its own
// principal and database, on the real topics of the topology.

jest.setTimeout(300_000);

// The development key of apps/router/local.env: every router on this stack shares the router's
// database (see support/hub-apps.ts), so they must compute the same pseudonyms.
const ROUTER_KEY = 'samverkan-dev-router-pseudonym-key-not-a-secret';

/** A fictitious 12-digit personnummer with a valid Luhn digit, different per run. */
function fakePersonnummer(): string {
  const n = Math.floor(Math.random() * 28 * 12 * 900);
  const nine = `14${String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}${String(100 + (Math.floor(n / 336) % 900))}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    const p = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return `20${nine}${(10 - (sum % 10)) % 10}`;
}

describe('concern reports end to end (education → router → social services → feedback)', () => {
  let issuer: TestIssuer;
  let education: RunningApp;
  let social: RunningApp;
  let router: RunningApp;
  let reporting: Awaited<ReturnType<typeof collectTopics>>;
  let toEducation: Awaited<ReturnType<typeof collectTopics>>;
  const schoolUnit = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    issuer = await createTestIssuer();
    tokens.reporter = await issuer.mintFor({
      agency: 'education',
      orgUnit: schoolUnit,
      roles: [ROLES.REPORTER],
    });
    tokens.consentAdmin = await issuer.mintFor({
      agency: 'education',
      orgUnit: schoolUnit,
      roles: [ROLES.CONSENT_ADMIN],
    });
    tokens.studentHealth = await issuer.mintFor({
      agency: 'education',
      orgUnit: schoolUnit,
      roles: ['student-health'],
    });
    tokens.socialWorker = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    // The disclosure search answers a data owner with its own agency's records only.
    tokens.educationDataOwner = await issuer.mintFor({
      agency: 'education',
      orgUnit: 'dpo',
      roles: [ROLES.DATA_OWNER],
    });
    tokens.socialDataOwner = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'dpo',
      roles: [ROLES.DATA_OWNER],
    });
    reporting = await collectTopics([audienceTopic('reporting')]);
    toEducation = await collectTopics([audienceTopic('education')]);
    [router, education, social] = await Promise.all([
      startApp('router', {
        issuer,
        env: { ROUTER_PSEUDONYM_KEY: ROUTER_KEY, ROUTER_INSTANCE_ID: uniqueName('e2e-router') },
      }),
      startApp('education', { issuer }),
      startApp('social-services', { issuer }),
    ]);
  });

  afterAll(async () => {
    await reporting?.close();
    await toEducation?.close();
    await Promise.all([router?.stop(), education?.stop(), social?.stop()]);
    await issuer?.cleanup();
  });

  it('filed → received by social services → decided → the report in education shows the outcome; reporting learns nothing identifying', async () => {
    const pnr = fakePersonnummer();
    const childName = `E2e Barn ${uniqueName('n')}`;
    const description = `Eleven berättar om oro hemma ${uniqueName('d')}`;
    const reporterName = `Lärare ${uniqueName('r')}`;
    const filed = await call(education, 'POST', '/concern-reports', tokens.reporter, {
      child: { personnummer: pnr, name: childName },
      reportingUnit: { schoolUnitCode: schoolUnit },
      reporter: { role: 'teacher', name: reporterName, contact: { email: 'e2e.teacher@skola.example' } },
      categories: ['neglect'],
      description,
      immediateDanger: false,
    });
    expect(filed.status).toBe(201);
    const reportId: string = filed.body.id;
    expect(filed.body.feedback.status).toBe('awaiting');

    const received = await eventually(
      async () => {
        const res = await call(social, 'GET', `/concern-reports/${reportId}`, tokens.socialWorker);
        expect(res.status).toBe(200);
        return res.body;
      },
      { describe: 'the report in the intake of social services', timeoutMs: 60_000, dump: router.output },
    );
    expect(received.description).toBe(description);

    expect(
      (
        await call(
          social,
          'POST',
          `/concern-reports/${reportId}/protection-assessment`,
          tokens.socialWorker,
          {
            outcome: 'no-immediate-protection-needed',
            assessedAt: new Date().toISOString(),
          },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(social, 'POST', `/concern-reports/${reportId}/decision`, tokens.socialWorker, {
          decision: 'investigation-opened',
        })
      ).status,
    ).toBe(200);

    const report = await eventually(
      async () => {
        const res = await call(education, 'GET', `/concern-reports/${reportId}`, tokens.reporter);
        expect(res.status).toBe(200);
        expect(res.body.feedback.status).toBe('investigation-opened');
        return res.body;
      },
      { describe: 'the outcome in the education report', timeoutMs: 60_000, dump: education.output },
    );
    expect(report.feedback.decidedAt).toEqual(expect.any(String));

    // The feedback event itself carries nothing but id, outcome and date.
    const feedback = toEducation.messages.filter(
      (m) => m.headers[CE_HEADERS.type] === 'samverkan.concern-report.decided.v1' && m.key === reportId,
    );
    expect(feedback).toHaveLength(1);
    expect(Object.keys(JSON.parse(feedback[0].value)).sort()).toEqual(['decidedAt', 'outcome', 'reportId']);
    expect(feedback[0].headers[CE_HEADERS.legalbasis]).toBe('reporter-feedback');

    const pseudonym = pseudonymize(pnr, ROUTER_KEY);
    await eventually(
      () => {
        const types = reporting.messages
          .filter((m) => m.key === pseudonym)
          .map((m) => m.headers[CE_HEADERS.type]);
        expect(types).toEqual(
          expect.arrayContaining([
            'samverkan.concern-report.filed.v1',
            'samverkan.concern-report.protection-assessed.v1',
            'samverkan.concern-report.decided.v1',
          ]),
        );
      },
      { describe: "the report's events on audience.reporting under the child's pseudonym" },
    );
    const everything = reporting.messages
      .map((m) => `${m.key}\n${JSON.stringify(m.headers)}\n${m.value}`)
      .join('\n');
    for (const leak of [
      pnr,
      pnr.slice(2),
      childName,
      description,
      reporterName,
      'e2e.teacher@skola.example',
    ]) {
      expect(everything).not.toContain(leak);
    }
  });

  it('consent granted → a started intervention reaches education; withdrawn → the next does not; both in the disclosure log', async () => {
    const pnr = fakePersonnummer();
    const today = stockholmDateOf(new Date());
    const consent = await call(education, 'POST', '/consents', tokens.consentAdmin, {
      child: { personnummer: pnr },
      parties: ['education', 'social-services'],
      informationKinds: ['interventions'],
      purpose: 'coordinated-support',
      validFrom: today,
      validTo: '2099-12-31',
      grantedBy: 'both-guardians',
    });
    expect(consent.status).toBe(201);
    const consentId: string = consent.body.id ?? consent.body.consentId;
    const disclosures = async (owner: string) =>
      (await call(router, 'POST', '/disclosures/search', owner, { personnummer: pnr })).body as {
        deliveries: Array<{ eventType: string; to: string; consentId?: string }>;
        withholdings: Array<{ eventType: string; to: string; reason: string; consentId?: string }>;
      };
    await eventually(
      async () =>
        expect((await disclosures(tokens.educationDataOwner)).deliveries).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ eventType: 'samverkan.consent.granted.v1', to: 'social-services' }),
          ]),
        ),
      { describe: 'the consent routed', timeoutMs: 60_000, dump: router.output },
    );

    const start = () =>
      call(social, 'POST', '/interventions', tokens.socialWorker, {
        stage: 'started',
        catalogCode: 'icdp',
        basis: 'service-without-needs-assessment',
        child: { personnummer: pnr },
      });
    const first = await start();
    expect(first.status).toBe(201);
    const shared = await eventually(
      async () => {
        const res = await call(education, 'POST', '/shared-interventions/search', tokens.studentHealth, {
          personnummer: pnr,
        });
        expect(res.status).toBe(200);
        expect(res.body.events).toHaveLength(1);
        return res.body.events;
      },
      { describe: 'the intervention shared with education', timeoutMs: 60_000, dump: router.output },
    );
    expect(shared[0]).toMatchObject({ kind: 'started', catalogCode: 'icdp' });

    expect(
      (await call(education, 'DELETE', `/consents/${consentId}`, tokens.consentAdmin)).status,
    ).toBeLessThan(300);
    await eventually(
      async () =>
        expect((await disclosures(tokens.educationDataOwner)).deliveries).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ eventType: 'samverkan.consent.withdrawn.v1', to: 'social-services' }),
          ]),
        ),
      { describe: 'the withdrawal routed', timeoutMs: 60_000 },
    );
    expect((await start()).status).toBe(201);
    const log = await eventually(
      async () => {
        const found = await disclosures(tokens.socialDataOwner);
        expect(found.withholdings).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              eventType: 'samverkan.intervention.started.v1',
              to: 'education',
              reason: 'consent-withdrawn',
            }),
          ]),
        );
        return found;
      },
      { describe: 'the second intervention withheld from education', timeoutMs: 60_000 },
    );
    expect(
      log.deliveries.filter(
        (d) => d.eventType === 'samverkan.intervention.started.v1' && d.to === 'education',
      ),
    ).toEqual([expect.objectContaining({ consentId })]);
    const after = await call(education, 'POST', '/shared-interventions/search', tokens.studentHealth, {
      personnummer: pnr,
    });
    expect(after.body.events).toHaveLength(1);
  });
});
