import { Kafka } from 'kafkajs';
import {
  cacheCoordinators,
  isCoordinatorFailure,
  withCoordinatorCache,
  type CoordinatorLookup,
} from './coordinator-cache';

/** A stand-in for kafkajs's broker: a request that fails when told to, and a connection flag. */
class FakeBroker {
  connected = true;
  failNext?: Error;
  constructor(readonly nodeId: number) {}
  isConnected(): boolean {
    return this.connected;
  }
  async endTxn(): Promise<string> {
    if (this.failNext) throw this.failNext;
    return `ended by ${this.nodeId}`;
  }
}

function fakeCluster() {
  const lookups: string[] = [];
  let nodeId = 0;
  let failLookups = false;
  const cluster = {
    async findGroupCoordinator({
      groupId,
      coordinatorType = 0,
    }: {
      groupId: string;
      coordinatorType?: number;
    }) {
      lookups.push(`${coordinatorType}:${groupId}`);
      if (failLookups) throw new Error('The group coordinator is not available');
      return new FakeBroker(++nodeId);
    },
  };
  return {
    cluster,
    lookups,
    failLookups: (fail: boolean) => (failLookups = fail),
  };
}

type Found = FakeBroker;
const find = async (c: CoordinatorLookup, groupId: string, coordinatorType = 1) =>
  (await c.findGroupCoordinator({ groupId, coordinatorType })) as Found;

describe('coordinator cache (kafkajs FindCoordinator once, not before every transactional request)', () => {
  it('looks a coordinator up once per group id and type, and answers from the cache after that', async () => {
    const { cluster, lookups } = fakeCluster();
    withCoordinatorCache(cluster);
    const first = await find(cluster, 'router.tx');
    for (let i = 0; i < 5; i++) expect((await find(cluster, 'router.tx')).nodeId).toBe(first.nodeId);
    await find(cluster, 'router', 0);
    await find(cluster, 'router', 0);
    expect(lookups).toEqual(['1:router.tx', '0:router']);
    expect(await first.endTxn()).toBe(`ended by ${first.nodeId}`);
  });

  it('forgets a coordinator that says it is not one (passing the error on), not one that answers another error', async () => {
    const { cluster, lookups } = fakeCluster();
    withCoordinatorCache(cluster);
    const broker = await find(cluster, 'router.tx');
    broker.failNext = Object.assign(
      new Error(
        'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
      ),
      { type: 'CONCURRENT_TRANSACTIONS' },
    );
    await expect(broker.endTxn()).rejects.toThrow('concurrent operation');
    expect((await find(cluster, 'router.tx')).nodeId).toBe(broker.nodeId);
    broker.failNext = Object.assign(new Error('This is not the correct coordinator for this group'), {
      type: 'NOT_COORDINATOR_FOR_GROUP',
    });
    await expect(broker.endTxn()).rejects.toThrow('not the correct coordinator');
    const again = await find(cluster, 'router.tx');
    expect(again.nodeId).not.toBe(broker.nodeId);
    expect(lookups).toHaveLength(2);
  });

  it('looks up again when the connection to the cached coordinator is down, or after the ttl', async () => {
    const { cluster, lookups } = fakeCluster();
    let clock = 1_000;
    withCoordinatorCache(cluster, 60_000, () => clock);
    const broker = await find(cluster, 'router.tx');
    broker.connected = false;
    const reconnected = await find(cluster, 'router.tx');
    expect(reconnected.nodeId).not.toBe(broker.nodeId);
    clock += 59_999;
    expect((await find(cluster, 'router.tx')).nodeId).toBe(reconnected.nodeId);
    clock += 1;
    expect((await find(cluster, 'router.tx')).nodeId).not.toBe(reconnected.nodeId);
    expect(lookups).toHaveLength(3);
  });

  it('takes a lost connection or a timeout for a coordinator failure, a group still loading not', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(isCoordinatorFailure(named('KafkaJSConnectionError'))).toBe(true);
    expect(isCoordinatorFailure(named('KafkaJSConnectionClosedError'))).toBe(true);
    expect(isCoordinatorFailure(named('KafkaJSRequestTimeoutError'))).toBe(true);
    expect(isCoordinatorFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isCoordinatorFailure(Object.assign(new Error('x'), { type: 'GROUP_COORDINATOR_NOT_AVAILABLE' })),
    ).toBe(true);
    expect(isCoordinatorFailure(Object.assign(new Error('x'), { type: 'GROUP_LOAD_IN_PROGRESS' }))).toBe(
      false,
    );
    expect(isCoordinatorFailure(named('KafkaJSProtocolError'))).toBe(false);
    expect(isCoordinatorFailure(undefined)).toBe(false);
  });

  it('does not cache a failed look-up', async () => {
    const { cluster, lookups, failLookups } = fakeCluster();
    withCoordinatorCache(cluster);
    failLookups(true);
    await expect(find(cluster, 'router.tx')).rejects.toThrow('not available');
    failLookups(false);
    expect((await find(cluster, 'router.tx')).nodeId).toBe(1);
    expect(lookups).toHaveLength(2);
  });

  it('wraps the clusters of the installed kafkajs (fails if an upgrade moved its private createCluster)', () => {
    const kafka = cacheCoordinators(new Kafka({ clientId: 'spec', brokers: ['127.0.0.1:1'] }));
    const key = Object.getOwnPropertySymbols(kafka).find(
      (s) => s.description === 'private:Kafka:createCluster',
    )!;
    const create = (kafka as unknown as Record<symbol, (o: object) => CoordinatorLookup>)[key];
    const cluster = create({});
    // Our look-up is an own property of the cluster; kafkajs's is on its prototype.
    expect(Object.prototype.hasOwnProperty.call(cluster, 'findGroupCoordinator')).toBe(true);
    expect(() => cacheCoordinators({} as Kafka)).toThrow(
      /update libs\/messaging\/src\/kafka\/coordinator-cache.ts/,
    );
  });
});
