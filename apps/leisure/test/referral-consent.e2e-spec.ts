import { createTestIssuer, ROLES, type TestIssuer } from '@samverkan/auth';
import { audienceTopic, stockholmDateOf } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import {
  call,
  collectTopics,
  type RunningApp,
  startApp,
  uniqueName,
} from '../../../test/e2e/support/hub-apps';
import { randomPnr } from './support/leisure-test-kit';

// Issue 4, leisure side, end to end: social services and the router as real processes with their
// own principals and databases on the topology's topics. A referral to a course crosses to leisure
// only under a consent that names leisure; without one (or for a programme that is not a course)
// the router withholds it and says why in the disclosure log.
//
// "Not delivered" is asserted without waiting on a clock: the router writes every copy of an event
// (to leisure, to reporting, ...) in one Kafka transaction. Once the reporting copy of a referral is
// visible read_committed, a leisure copy would be visible too, had there been one.

jest.setTimeout(300_000);

// The development key of apps/router/local.env: routers on this stack share the router's database.
const ROUTER_KEY = 'samverkan-dev-router-pseudonym-key-not-a-secret';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies and event data are read field by field
type Loose = Record<string, any>;

describe('referrals to leisure through the router (consent-gated)', () => {
  let issuer: TestIssuer;
  let router: RunningApp;
  let social: RunningApp;
  let toLeisure: Awaited<ReturnType<typeof collectTopics>>;
  let toReporting: Awaited<ReturnType<typeof collectTopics>>;
  const tokens: Record<string, string> = {};
  const today = stockholmDateOf(new Date());

  const copies = (
    topic: { messages: Array<{ headers: Record<string, string>; value: string }> },
    referralId: string,
  ) =>
    topic.messages
      .filter((m) => m.headers.ce_type === 'samverkan.intervention.referred.v1')
      .map((m) => ({ headers: m.headers, data: JSON.parse(m.value) as Loose }))
      .filter((m) => m.data.referralId === referralId);

  const refer = async (pnr: string, catalogCode: string): Promise<string> => {
    const res = await call(social, 'POST', '/interventions', tokens.socialWorker, {
      stage: 'referred',
      catalogCode,
      basis: catalogCode === 'familjebehandling' ? 'after-decision' : 'service-without-needs-assessment',
      child: { personnummer: pnr },
      receivingUnit: { agency: 'leisure', unitCode: 'fritid-norr', municipality: '0781' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const withholdings = async (pnr: string) =>
    (
      (await call(router, 'POST', '/disclosures/search', tokens.dataOwner, { personnummer: pnr }))
        .body as Loose
    ).withholdings as Array<{ eventType: string; to: string; reason: string }>;

  /** The router has committed its decision on the referral: its reporting copy is visible. */
  const routed = (referralId: string) =>
    eventually(() => expect(copies(toReporting, referralId)).toHaveLength(1), {
      describe: `the reporting copy of referral ${referralId}`,
      timeoutMs: 90_000,
      dump: router.output,
    });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    tokens.socialWorker = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'ifo-barn-unga',
      roles: [ROLES.SOCIAL_WORKER],
    });
    // The referrals and the consents are social services' data: its data owner sees their disclosures.
    tokens.dataOwner = await issuer.mintFor({
      agency: 'social-services',
      orgUnit: 'dpo',
      roles: [ROLES.DATA_OWNER],
    });
    toLeisure = await collectTopics([audienceTopic('leisure')]);
    toReporting = await collectTopics([audienceTopic('reporting')]);
    [router, social] = await Promise.all([
      startApp('router', {
        issuer,
        env: { ROUTER_PSEUDONYM_KEY: ROUTER_KEY, ROUTER_INSTANCE_ID: uniqueName('leisure-e2e-router') },
      }),
      startApp('social-services', { issuer }),
    ]);
  });

  afterAll(async () => {
    await toLeisure?.close();
    await toReporting?.close();
    await Promise.all([router?.stop(), social?.stop()]);
    await issuer?.cleanup();
  });

  it('without consent, a referral to a course is not delivered to leisure (withheld: consent-missing)', async () => {
    const pnr = randomPnr(2014, 5);
    const referralId = await refer(pnr, 'skilda-varldar');
    await routed(referralId);
    expect(copies(toLeisure, referralId)).toEqual([]);
    expect(await withholdings(pnr)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventType: 'samverkan.intervention.referred.v1',
          to: 'leisure',
          reason: 'consent-missing',
        }),
      ]),
    );
    // Reporting's copy is pseudonymized: no personnummer.
    expect(JSON.stringify(copies(toReporting, referralId))).not.toContain(pnr);
  });

  it('under a consent naming leisure it is delivered in full; a referral to a non-course programme still is not', async () => {
    const pnr = randomPnr(2014, 5);
    const consent = await call(social, 'POST', '/consents', tokens.socialWorker, {
      child: { personnummer: pnr },
      parties: ['social-services', 'leisure'],
      informationKinds: ['interventions'],
      purpose: 'course-referral',
      validFrom: today,
      validTo: '2099-12-31',
      grantedBy: 'both-guardians',
    });
    expect(consent.status).toBe(201);
    await eventually(
      async () => {
        const res = await call(router, 'POST', '/disclosures/search', tokens.dataOwner, {
          personnummer: pnr,
        });
        expect((res.body as Loose).deliveries).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ eventType: 'samverkan.consent.granted.v1', to: 'leisure' }),
          ]),
        );
      },
      { describe: 'the consent routed to leisure', timeoutMs: 90_000, dump: router.output },
    );

    const toCourse = await refer(pnr, 'skilda-varldar');
    const [delivered] = await eventually(
      () => {
        const found = copies(toLeisure, toCourse);
        expect(found).toHaveLength(1);
        return found;
      },
      { describe: 'the referral on samverkan.audience.leisure', timeoutMs: 90_000, dump: router.output },
    );
    expect(delivered.headers.ce_legalbasis).toBe('consent');
    expect(delivered.data).toMatchObject({ catalogCode: 'skilda-varldar', child: { personnummer: pnr } });

    const notACourse = await refer(pnr, 'familjebehandling');
    await routed(notACourse);
    expect(copies(toLeisure, notACourse)).toEqual([]);
    expect(await withholdings(pnr)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          eventType: 'samverkan.intervention.referred.v1',
          to: 'leisure',
          reason: 'not-addressed',
        }),
      ]),
    );
  });
});
