import { createTestIssuer, type TestIssuer } from '@samverkan/auth';
import { CE_HEADERS, type CloudEvent } from '@samverkan/contracts';
import { createScratchDatabase, dropScratchDatabase, eventually } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import {
  adminKafka,
  collect,
  committedOffsets,
  createNamespaceTopics,
  deleteTopics,
  fakePersonnummer,
  freePort,
  type Kafka,
  routerEnvFor,
  routerGroupOf,
  sourceEvent,
  SourceWriter,
  spawnRouter,
  uniqueName,
} from './router-test-kit';

jest.setTimeout(480_000);

const FILED = 1200;
const DECIDED = 60;
const school = { agency: 'education', unitCode: '12345678', municipality: '0781' } as const;
const ifo = { agency: 'social-services', unitCode: 'ifo-barn-unga', municipality: '0781' } as const;

interface LogRow {
  id: string;
  event_id: string;
  audience: string;
  routed_at: Date;
}

describe('router killed with SIGKILL mid-batch and restarted', () => {
  let kafka: Kafka;
  let namespace: string;
  let topics: string[];
  let databaseUrl: string;
  let issuer: TestIssuer;
  let db: DataSource;

  beforeAll(async () => {
    kafka = adminKafka();
    namespace = `samverkan.test.${uniqueName('crash')}`;
    // One partition per source topic: each producer's events form large batches, so a Kafka
    // transaction is open for a good while and the kill lands inside it.
    topics = await createNamespaceTopics(kafka, namespace, 1);
    databaseUrl = await createScratchDatabase('router_crash');
    issuer = await createTestIssuer();
    db = new DataSource({ type: 'postgres', url: databaseUrl });
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await issuer?.cleanup();
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    if (topics) await deleteTopics(kafka, topics);
  });

  it('every audience gets each event exactly once, and the disclosure log is not rewritten', async () => {
    const env = routerEnvFor({
      namespace,
      databaseUrl,
      issuer,
      instanceId: uniqueName('crash-instance'),
      port: await freePort(),
      // Send each copy at once: the kill then leaves copies inside the open transaction, which
      // the restart (same transactional id) must abort.
      extraEnv: { ROUTER_MAX_BUFFERED_OUTPUTS: '1' },
    });
    const sources = topics.filter((t) => t.includes('.source.'));
    const filed = Array.from({ length: FILED }, (_, i) =>
      sourceEvent('samverkan.concern-report.filed.v1', 'education', fakePersonnummer(i)),
    );
    const decided = Array.from({ length: DECIDED }, (_, i) =>
      sourceEvent('samverkan.concern-report.decided.v1', 'social-services', fakePersonnummer(i), {
        reportId: filed[i].data.reportId,
        decidingUnit: ifo,
        reporterUnit: school,
      }),
    );

    const audiences = topics.filter((t) => t.includes('.audience.'));
    // Started before the first router, so they see the copies of the transaction the kill leaves open.
    const committed = await collect(kafka, audiences);
    const uncommitted = await collect(kafka, audiences, { readUncommitted: true });
    let beforeRestart: LogRow[] = [];
    // Kill while copies stream out inside an open transaction (sent, not yet committed). The readers see
    // commits a little late, so "sent, not yet seen committed" may also be a transaction that committed
    // just before the kill. Once read_committed has settled after the kill, copies visible only to
    // read_uncommitted prove the kill left a transaction open; if none are, the next router takes over
    // the remaining events and is killed in turn (three tries at most).
    let openAtKill = 0;
    for (let attempt = 1; attempt <= 3 && openAtKill === 0; attempt++) {
      const router = spawnRouter(env);
      try {
        if (attempt === 1) {
          await eventually(
            async () => {
              const [{ exists }] = await db.query(
                `SELECT to_regclass('router_disclosure_log') IS NOT NULL AS exists`,
              );
              expect(exists).toBe(true);
            },
            { describe: 'the first router migrated its database', timeoutMs: 60_000, dump: router.output },
          );
          const writer = new SourceWriter(kafka, namespace);
          await writer.connect();
          await writer.write('social-services', ...decided);
          for (let i = 0; i < filed.length; i += 300)
            await writer.write('education', ...filed.slice(i, i + 300));
          await writer.disconnect();
        }
        await eventually(
          () => expect(uncommitted.messages.length - committed.messages.length).toBeGreaterThanOrEqual(50),
          {
            describe: `router ${attempt} part-way through a batch`,
            timeoutMs: 90_000,
            intervalMs: 20,
            dump: router.output,
          },
        );
      } finally {
        router.child.kill('SIGKILL');
        await router.exited;
      }
      openAtKill = await settledOpenCopies(committed, uncommitted);
    }
    expect(openAtKill).toBeGreaterThan(0);
    beforeRestart = await db.query(
      `SELECT id, event_id, audience, routed_at FROM router_disclosure_log ORDER BY id`,
    );
    expect(await committedOffsets(kafka, routerGroupOf(namespace), sources)).toBeLessThan(FILED + DECIDED);

    const second = spawnRouter(env);
    try {
      await eventually(
        async () =>
          expect(await committedOffsets(kafka, routerGroupOf(namespace), sources)).toBe(FILED + DECIDED),
        { describe: 'the restarted router past every source event', timeoutMs: 240_000, dump: second.output },
      );
      await eventually(
        () => expect(committed.messages.length).toBeGreaterThanOrEqual(2 * FILED + 2 * DECIDED),
        {
          describe: 'every copy visible to read_committed',
        },
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      await committed.close();
      await uncommitted.close();
    }

    const idsOn = (audience: string, messages = committed.messages) =>
      messages
        .filter((m) => m.topic === `${namespace}.audience.${audience}`)
        .map((m) => m.headers[CE_HEADERS.id])
        .sort();
    const ids = (events: CloudEvent[]) => events.map((e) => e.id).sort();
    expect(idsOn('social-services')).toEqual(ids(filed));
    expect(idsOn('education')).toEqual(ids(decided));
    expect(idsOn('reporting')).toEqual(ids([...filed, ...decided]));
    expect(idsOn('leisure')).toEqual([]);
    // The copies sent inside the transaction the kill left open reached the log, and the restart
    // aborted them: only a read_uncommitted reader sees them.
    expect(uncommitted.messages.length).toBeGreaterThan(committed.messages.length);

    const after: LogRow[] = await db.query(
      `SELECT id, event_id, audience, routed_at FROM router_disclosure_log ORDER BY id`,
    );
    expect(after).toHaveLength(4 * (FILED + DECIDED));
    const kept = new Map(after.map((r) => [`${r.event_id}/${r.audience}`, r]));
    for (const row of beforeRestart) {
      expect(kept.get(`${row.event_id}/${row.audience}`)).toEqual(row);
    }
  });
});

/** Copies only read_uncommitted sees, once read_committed has stopped moving for two seconds. */
async function settledOpenCopies(
  committed: { messages: unknown[] },
  uncommitted: { messages: unknown[] },
): Promise<number> {
  const deadline = Date.now() + 20_000;
  let seen = -1;
  while (Date.now() < deadline && seen !== committed.messages.length) {
    seen = committed.messages.length;
    await new Promise((r) => setTimeout(r, 2_000));
  }
  return uncommitted.messages.length - committed.messages.length;
}
