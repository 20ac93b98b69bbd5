import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { CE_HEADERS } from '@samverkan/contracts';
import { createScratchDatabase, dropScratchDatabase, eventually } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import {
  adminKafka,
  collect,
  committedOffsets,
  createNamespaceTopics,
  deleteTopics,
  fakePersonnummer,
  type Kafka,
  routerGroupOf,
  sourceEvent,
  SourceWriter,
  startRouterApp,
  uniqueName,
} from './router-test-kit';

jest.setTimeout(180_000);

const ifo = { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' } as const;
const school = { agency: 'education', unitCode: '12345678', municipality: '0781' } as const;

// The crash window itself, made deterministic: the database has committed a batch's decisions but
// Kafka has not committed its offsets (here: the offsets are rewound by hand while the router is
// down). Meanwhile the consent state has changed. The replay must deliver what the log recorded,
// not decide again, and must write nothing.
describe('router replay of a batch whose decisions are on record', () => {
  let kafka: Kafka;
  let namespace: string;
  let topics: string[];
  let databaseUrl: string;
  let issuer: TestIssuer;
  let db: DataSource;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    kafka = adminKafka();
    namespace = `samverkan.test.${uniqueName('replay')}`;
    topics = await createNamespaceTopics(kafka, namespace, 1);
    databaseUrl = await createScratchDatabase('router_replay');
    issuer = await createTestIssuer();
    db = new DataSource({ type: 'postgres', url: databaseUrl });
    await db.initialize();
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await issuer?.cleanup();
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    if (topics) await deleteTopics(kafka, topics);
  });

  it('delivers the recorded decisions although a consent arrived since, and rewrites no row', async () => {
    const instanceId = uniqueName('replay-instance');
    const source = `${namespace}.source.social-services`;
    const out = await collect(
      kafka,
      topics.filter((t) => t.includes('.audience.')),
    );
    const writer = new SourceWriter(kafka, namespace);
    await writer.connect();
    try {
      const pnr = fakePersonnummer(4242);
      const started = sourceEvent('samverkan.intervention.started.v1', 'social-services', pnr, {
        organisationUnit: ifo,
      });
      app = await startRouterApp({ namespace, databaseUrl, issuer, instanceId });
      await writer.write('social-services', started);
      await eventually(
        async () => expect(await committedOffsets(kafka, routerGroupOf(namespace), [source])).toBe(1),
        {
          describe: 'the intervention routed',
        },
      );
      const copies = (audience: string) =>
        out.messages.filter(
          (m) => m.topic === `${namespace}.audience.${audience}` && m.headers[CE_HEADERS.id] === started.id,
        );
      await eventually(() => expect(copies('reporting')).toHaveLength(1), { describe: 'the reporting copy' });
      expect(copies('education')).toEqual([]);

      // The consent that would now let the intervention through.
      const granted = sourceEvent('samverkan.consent.granted.v1', 'education', pnr, {
        parties: ['education', 'social-services'],
        informationKinds: ['interventions'],
        validFrom: '2026-01-01',
        validTo: '2099-12-31',
        recordedBy: school,
      });
      await writer.write('education', granted);
      await eventually(
        async () =>
          expect(
            await committedOffsets(kafka, routerGroupOf(namespace), [`${namespace}.source.education`]),
          ).toBe(1),
        { describe: 'the consent routed' },
      );
      const logBefore = await db.query(`SELECT * FROM router_disclosure_log ORDER BY id`);
      await app.close();
      app = undefined;

      // As if the router had died after the database commit and before the Kafka commit.
      const admin = kafka.admin();
      await admin.connect();
      try {
        await eventually(
          async () => {
            await admin.resetOffsets({ groupId: routerGroupOf(namespace), topic: source, earliest: true });
          },
          { describe: 'the router group empty, its offsets rewound' },
        );
      } finally {
        await admin.disconnect();
      }
      expect(await committedOffsets(kafka, routerGroupOf(namespace), [source])).toBe(0);

      app = await startRouterApp({ namespace, databaseUrl, issuer, instanceId });
      await eventually(
        async () => expect(await committedOffsets(kafka, routerGroupOf(namespace), [source])).toBe(1),
        {
          describe: 'the intervention routed again',
        },
      );
      await eventually(() => expect(copies('reporting')).toHaveLength(2), {
        describe: 'the replayed reporting copy (the offsets were rewound, so Kafka sees it twice)',
      });
      // Recorded: withheld from education (no consent at the time). The replay keeps to it.
      expect(copies('education')).toEqual([]);
      expect(await db.query(`SELECT * FROM router_disclosure_log ORDER BY id`)).toEqual(logBefore);
    } finally {
      await writer.disconnect();
      await out.close();
    }
  });
});
