import type { ConsumerGroupLag } from '@samverkan/messaging';
import type { PartitionObservation, Status } from '../status/burrow';

/** One partition in one sample: what GET /consumer-groups/:id/history returns, and the fixtures hold. */
export interface PartitionSample {
  topic: string;
  partition: number;
  committedOffset: number | null;
  endOffset: number;
  lag: number;
  lagSeconds: number;
  memberId: string | null;
}

export interface GroupSample {
  at: string;
  state: string;
  members: number;
  totalLag: number;
  maxLagSeconds: number;
  status: Status;
  partitions: PartitionSample[];
}

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** A group's history as Burrow observations per partition (oldest first). */
export function observationsOf(samples: readonly GroupSample[]): Map<string, PartitionObservation[]> {
  const out = new Map<string, PartitionObservation[]>();
  for (const sample of samples) {
    const at = Date.parse(sample.at);
    for (const p of sample.partitions) {
      const key = partitionKey(p.topic, p.partition);
      const list = out.get(key) ?? [];
      list.push({ at, committedOffset: p.committedOffset, lag: p.lag, owned: p.memberId !== null });
      out.set(key, list);
    }
  }
  return out;
}

export function totals(partitions: readonly PartitionSample[]): { totalLag: number; maxLagSeconds: number } {
  return {
    totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
    maxLagSeconds: partitions.reduce((max, p) => Math.max(max, p.lagSeconds), 0),
  };
}

/**
 * One sampling round of a group as the console records it (status still to be judged over the
 * history it joins). The sampler and the Burrow history recorder both use it, so recorded fixtures
 * have exactly the shape and values the console sees.
 */
export function sampleOf(lag: ConsumerGroupLag): GroupSample {
  const partitions: PartitionSample[] = lag.partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    committedOffset: p.committedOffset,
    endOffset: p.endOffset,
    lag: p.lag,
    lagSeconds: p.lagSeconds,
    memberId: p.memberId,
  }));
  return {
    at: lag.sampledAt.toISOString(),
    state: lag.state,
    members: lag.members.length,
    ...totals(partitions),
    status: 'ok',
    partitions,
  };
}
