import {
  createEvent,
  type CloudEvent,
  type ConcernReportDecidedV1,
  type EventMap,
} from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';
import { OutboxService } from './outbox.service';

type Filed = CloudEvent<'samverkan.concern-report.filed.v1', EventMap['samverkan.concern-report.filed.v1']>;

function filed(): Filed {
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject: 'child-1',
    municipality: '0781',
    data: {
      reportId: '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11',
      child: { personnummer: '191212121212', name: 'Tolvan Tolvansson' },
      reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
      reporter: { role: 'teacher', name: 'Test Teacher', contact: { email: 'teacher@school.example' } },
      categories: ['neglect'],
      description: 'test',
      immediateDanger: false,
      filedAt: '2026-11-23T09:15:00Z',
    },
  });
}

/** Records the statement instead of running it; the SQL itself is covered by the integration tests. */
function recordingManager(
  inTransaction: boolean,
): EntityManager & { calls: Array<{ sql: string; params: unknown[] }> } {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  return {
    calls,
    queryRunner: inTransaction ? { isTransactionActive: true } : undefined,
    query: async (sql: string, params: unknown[]) => {
      calls.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager & { calls: Array<{ sql: string; params: unknown[] }> };
}

describe('OutboxService', () => {
  const outbox = new OutboxService({ defaultTopic: 'samverkan.source.education' });

  it('refuses a manager without an open transaction', async () => {
    const manager = recordingManager(false);
    await expect(outbox.add(manager, filed())).rejects.toMatchObject({ code: 'OUTBOX_NO_TRANSACTION' });
    expect(manager.calls).toHaveLength(0);
  });

  it('inserts the encoded event and notifies the relay in one statement, on the default topic unless told', async () => {
    const manager = recordingManager(true);
    const event = filed();
    await outbox.add(manager, event);
    await outbox.add(manager, event, { topic: 'samverkan.source.other' });
    expect(manager.calls).toHaveLength(2);
    expect(manager.calls[0].sql).toContain('INSERT INTO messaging_outbox');
    expect(manager.calls[0].sql).toContain("pg_notify('messaging_outbox'");
    const [id, topic, key, headers, value, shard] = manager.calls[0].params as [
      string,
      string,
      string,
      string,
      string,
      number,
    ];
    expect([id, topic, key]).toEqual([event.id, 'samverkan.source.education', 'child-1']);
    expect(JSON.parse(headers)).toMatchObject({
      ce_id: event.id,
      ce_type: 'samverkan.concern-report.filed.v1',
    });
    expect(JSON.parse(value)).toEqual(event.data);
    expect(shard).toBeGreaterThanOrEqual(0);
    expect(manager.calls[1].params[1]).toBe('samverkan.source.other');
  });

  it('leaves the NOTIFY out when told (the caller says committed() after its commit)', async () => {
    const manager = recordingManager(true);
    const woken: string[] = [];
    outbox.onCommitted(() => woken.push('relay'));
    await outbox.add(manager, filed(), { notify: false });
    expect(manager.calls[0].sql).toContain('INSERT INTO messaging_outbox');
    expect(manager.calls[0].sql).not.toContain('pg_notify');
    expect(woken).toEqual([]);
    outbox.committed();
    expect(woken).toEqual(['relay']);
  });

  it('types the payload by the event type', async () => {
    const manager = recordingManager(true);
    const event = filed();
    const decidedData = {} as ConcernReportDecidedV1;
    // The compile-time half is `npm run typecheck`.
    // @ts-expect-error a decided event cannot carry a filed payload
    const wrong: Parameters<typeof outbox.add<'samverkan.concern-report.decided.v1'>>[1] = {
      ...event,
      type: 'samverkan.concern-report.decided.v1',
    };
    // @ts-expect-error nor a filed event a decided payload
    await outbox.add(manager, { ...event, data: decidedData });
    expect(wrong.type).toBe('samverkan.concern-report.decided.v1');
  });
});
