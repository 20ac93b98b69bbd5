import { TransientError } from '@samverkan/messaging';
import { createEvent, EVENT_EXAMPLES, eventSourceFor, sourceTopic } from '@samverkan/contracts';
import type { DataSource } from 'typeorm';
import { RouterKeys } from '../config/router-keys';
import { ConsentStore } from '../consents/consent-store';
import type { DisclosureLog } from '../disclosures/disclosure-log';
import { RouterMetrics } from '../metrics/router-metrics';
import { RouterTopics } from './router-topics';
import { RoutingErrorCode, RoutingService } from './routing.service';

const keys = new RouterKeys(Buffer.from('unit-test-router-key-with-at-least-32-bytes!'));
const topics = new RouterTopics('samverkan');
const educationTopic = sourceTopic('education');

/** A filed report about the child with this personnummer (the example's, with another last digits). */
function filed(personnummer: string) {
  const example = EVENT_EXAMPLES['samverkan.concern-report.filed.v1'];
  return createEvent('samverkan.concern-report.filed.v1', {
    source: eventSourceFor('education'),
    subject: 'producer-subject',
    municipality: '0781',
    data: { ...structuredClone(example), child: { ...example.child, personnummer } },
  });
}

describe('RoutingService', () => {
  function service() {
    const recordedDecisionsOf = jest.fn(
      async (ids: readonly string[]) => new Map(ids.map((id) => [id, new Map()])),
    );
    const rowsOf = jest.fn(async (children: readonly string[]) => new Map(children.map((c) => [c, []])));
    const routing = new RoutingService(
      {} as DataSource,
      { rowsOf } as unknown as ConsentStore,
      { recordedDecisionsOf } as unknown as DisclosureLog,
      new RouterMetrics(),
      keys,
      topics,
    );
    return { routing, recordedDecisionsOf, rowsOf };
  }

  it('prepare reads once for the partition batches of one fetch, and afresh for a batch that comes later', async () => {
    const { routing, recordedDecisionsOf, rowsOf } = service();
    const a = [filed('201505152387'), filed('201505152387')];
    const b = [filed('201212121212')];
    // kafkajs hands a fetch's partition batches over in one go: both ask before either has read.
    await Promise.all([
      routing.prepare({ topic: educationTopic, partition: 0 }, a),
      routing.prepare({ topic: educationTopic, partition: 1 }, b),
    ]);
    expect(recordedDecisionsOf).toHaveBeenCalledTimes(1);
    expect([...recordedDecisionsOf.mock.calls[0][0]].sort()).toEqual([...a, ...b].map((e) => e.id).sort());
    expect(rowsOf).toHaveBeenCalledTimes(1);
    expect(rowsOf.mock.calls[0][0]).toHaveLength(2); // two children

    const c = [filed('201505152387')];
    await routing.prepare({ topic: educationTopic, partition: 2 }, c);
    expect(recordedDecisionsOf).toHaveBeenCalledTimes(2);
    expect(recordedDecisionsOf.mock.calls[1][0]).toEqual([c[0].id]);
  });

  it('prepare: a failed read fails the prepare of every batch that shared it (they then read per event)', async () => {
    const { routing, recordedDecisionsOf } = service();
    recordedDecisionsOf.mockRejectedValueOnce(new Error('database away'));
    const results = await Promise.allSettled([
      routing.prepare({ topic: educationTopic, partition: 0 }, [filed('201505152387')]),
      routing.prepare({ topic: educationTopic, partition: 1 }, [filed('201212121212')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  describe('beforeCommit', () => {
    it('fails the transaction with RECORDED_CONCURRENTLY when another instance recorded an event of the batch first', async () => {
      // No consents on record; the log writes all but one row (another instance holds it).
      const dataSource = { query: jest.fn(async () => []), manager: {} } as unknown as DataSource;
      const record = jest.fn(async () => 1);
      const log = {
        recordedDecisionsOf: async (ids: readonly string[]) => new Map(ids.map((id) => [id, new Map()])),
        fitsOneStatement: () => true,
        record,
      } as unknown as DisclosureLog;
      const routing = new RoutingService(
        dataSource,
        new ConsentStore(dataSource),
        log,
        new RouterMetrics(),
        keys,
        topics,
      );
      const batch = { topic: educationTopic, partition: 0 };
      const event = filed('201505152387');
      await routing.prepare(batch, [event]);
      const outputs = await routing.route({
        event,
        topic: educationTopic,
        partition: 0,
        offset: '0',
        attempt: 1,
      });
      expect(outputs.map((o) => o.topic)).toEqual(
        expect.arrayContaining([topics.audience('social-services'), topics.audience('reporting')]),
      );

      const failure = await routing.beforeCommit([batch]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(failure).toMatchObject({ code: RoutingErrorCode.RECORDED_CONCURRENTLY });
      // Every audience's decision was handed to the log in that one write.
      expect(record).toHaveBeenCalledTimes(1);
      const [, pending] = record.mock.calls[0] as unknown as [unknown, Array<{ decisions: unknown[] }>];
      expect(pending).toHaveLength(1);
      expect(pending[0].decisions.length).toBeGreaterThanOrEqual(4);
      // What the batch gathered is gone: the redelivery decides (or replays) afresh.
      record.mockClear();
      await routing.beforeCommit([batch]);
      expect(record).not.toHaveBeenCalled();
    });
  });
});
