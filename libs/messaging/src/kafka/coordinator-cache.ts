import type { Kafka } from 'kafkajs';

/**
 * kafkajs 2.2.4 asks the broker for the coordinator before every transactional request: a
 * FindCoordinator before AddPartitionsToTxn, two around sendOffsets (the transaction's coordinator and
 * the group's) and one before EndTxn. For the router's consume-transform-produce that is three of the
 * eight serial round trips of each transaction, on a broker that is also every other client's. The Java
 * client keeps the coordinator until a request to it fails; so do we, by wrapping the cluster kafkajs
 * creates for each producer, consumer and admin.
 *
 * A cached coordinator is dropped when a request to it fails because it is not the coordinator or
 * cannot be reached (the error goes on to kafkajs's own handling, whose retry then looks it up anew), when its connection is down (kafkajs reconnects in the
 * lookup), and after `ttlMs` in any case.
 *
 * The wrapping reaches into kafkajs's private `createCluster` (a symbol-keyed property of the client):
 * `cacheCoordinators` throws at start-up if a kafkajs upgrade has moved it, and a unit test checks it.
 */

const CREATE_CLUSTER = 'private:Kafka:createCluster';
export const COORDINATOR_TTL_MS = 60_000;

/** The part of a kafkajs broker the cache looks at; the rest passes through. */
interface CoordinatorBroker {
  isConnected(): boolean;
}

interface GroupCoordinatorQuery {
  groupId: string;
  coordinatorType?: number;
}

/** The part of kafkajs's (internal) Cluster the cache wraps. */
export interface CoordinatorLookup {
  findGroupCoordinator(query: GroupCoordinatorQuery): Promise<CoordinatorBroker>;
}

/**
 * Failures that say the coordinator is elsewhere or unreachable. Others (CONCURRENT_TRANSACTIONS,
 * which a transaction begun right after the last commit often meets, or a group still loading) come
 * from the right coordinator and keep it.
 */
export function isCoordinatorFailure(error: unknown): boolean {
  const e = error as { name?: unknown; type?: unknown; code?: unknown } | undefined;
  return (
    e?.type === 'NOT_COORDINATOR_FOR_GROUP' ||
    e?.type === 'GROUP_COORDINATOR_NOT_AVAILABLE' ||
    e?.code === 'ECONNREFUSED' ||
    (typeof e?.name === 'string' && /^KafkaJS(Connection|ConnectionClosed|RequestTimeout)Error$/.test(e.name))
  );
}

interface Entry {
  broker: Promise<CoordinatorBroker>;
  at: number;
}

/** Wraps a cluster's coordinator look-up with the cache (in place; returns the same cluster). */
export function withCoordinatorCache<C extends CoordinatorLookup>(
  cluster: C,
  ttlMs = COORDINATOR_TTL_MS,
  now: () => number = Date.now,
): C {
  const lookUp = cluster.findGroupCoordinator.bind(cluster);
  const cache = new Map<string, Entry>();
  const forget = (key: string, broker: Entry['broker']) => {
    if (cache.get(key)?.broker === broker) cache.delete(key);
  };
  // A proxy of the broker whose requests drop the entry when they fail because it is not (or no
  // longer reachable as) the coordinator, so the caller's retry finds the coordinator again.
  const dropOnFailure = (broker: CoordinatorBroker, drop: () => void): CoordinatorBroker =>
    new Proxy(broker, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise)
            return result.catch((error: unknown) => {
              if (isCoordinatorFailure(error)) drop();
              throw error;
            });
          return result;
        };
      },
    });

  cluster.findGroupCoordinator = async (query: GroupCoordinatorQuery) => {
    const key = `${query.coordinatorType ?? 0}:${query.groupId}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) {
      const broker = await hit.broker.catch(() => undefined);
      if (broker?.isConnected()) return broker;
      forget(key, hit.broker);
    }
    const broker: Entry['broker'] = lookUp(query).then((found) =>
      dropOnFailure(found, () => forget(key, broker)),
    );
    cache.set(key, { at: now(), broker });
    broker.catch(() => forget(key, broker));
    return broker;
  };
  return cluster;
}

/** Makes every cluster this client creates (one per producer, consumer, admin) cache its coordinators. */
export function cacheCoordinators(kafka: Kafka, ttlMs = COORDINATOR_TTL_MS): Kafka {
  const slots = kafka as unknown as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === CREATE_CLUSTER);
  const create = key === undefined ? undefined : slots[key];
  if (key === undefined || typeof create !== 'function') {
    throw new Error(
      `kafkajs has no ${CREATE_CLUSTER} any more (an upgrade?): update libs/messaging/src/kafka/coordinator-cache.ts`,
    );
  }
  slots[key] = (...args: unknown[]) =>
    withCoordinatorCache((create as (...a: unknown[]) => CoordinatorLookup)(...args), ttlMs);
  return kafka;
}
