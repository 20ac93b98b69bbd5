import { Inject, Injectable, Logger } from '@nestjs/common';
import { dlqTopic } from '@samverkan/contracts';
import { Gauge, Registry } from 'prom-client';
import { ConsumerGroupsService } from '../consumer-groups/consumer-groups.service';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { ServicesHealthService } from '../health/services-health.service';
import { STATUS_SEVERITY, STATUSES } from '../status/burrow';

/** Metric names: the Grafana dashboard (deploy/grafana/samverkan-hub.json) uses exactly these. */
export const METRICS = {
  lagMessages: 'samverkan_consumer_group_lag_messages',
  lagSeconds: 'samverkan_consumer_group_lag_seconds',
  groupLagMessages: 'samverkan_consumer_group_total_lag_messages',
  groupLagSeconds: 'samverkan_consumer_group_max_lag_seconds',
  groupStatus: 'samverkan_consumer_group_status',
  partitionStatus: 'samverkan_consumer_group_partition_status',
  groupMembers: 'samverkan_consumer_group_members',
  dlqDepth: 'samverkan_dlq_depth_messages',
  dlqUnresolved: 'samverkan_dlq_unresolved_messages',
  outboxBacklog: 'samverkan_outbox_backlog',
  serviceUp: 'samverkan_service_up',
} as const;

/**
 * The console's figures for Prometheus, from the sampler's latest sample (lag, status) and, at
 * scrape time, Kafka (DLQ depth), the operations DB (resolved letters) and every app's /health
 * (outbox backlog: the relay's own count of unpublished rows, so no app's database is read from here).
 * Labels carry group, topic, partition and service names only.
 */
@Injectable()
export class OperationsMetrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('OperationsMetrics');

  constructor(
    @Inject(ConsumerGroupsService) groups: ConsumerGroupsService,
    @Inject(DeadLettersService) letters: DeadLettersService,
    @Inject(ServicesHealthService) health: ServicesHealthService,
  ) {
    const registers = [this.registry];
    const partitionLabels = ['group', 'topic', 'partition'];
    const perPartition = (name: string, help: string, pick: 'lag' | 'lagSeconds') =>
      new Gauge({
        name,
        help,
        labelNames: partitionLabels,
        registers,
        collect() {
          this.reset();
          for (const { groupId, sample } of groups.latest())
            for (const p of sample.partitions)
              this.set({ group: groupId, topic: p.topic, partition: String(p.partition) }, p[pick]);
        },
      });
    perPartition(METRICS.lagMessages, 'Messages a consumer group has not consumed yet, per partition', 'lag');
    perPartition(METRICS.lagSeconds, 'Age in seconds of the oldest unconsumed message, per partition', 'lagSeconds');
    const perGroup = (name: string, help: string, pick: (s: ReturnType<ConsumerGroupsService['latest']>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['group'],
        registers,
        collect() {
          this.reset();
          for (const latest of groups.latest()) this.set({ group: latest.groupId }, pick(latest));
        },
      });
    perGroup(METRICS.groupLagMessages, 'Unconsumed messages of a consumer group, all partitions', (l) => l.sample.totalLag);
    perGroup(METRICS.groupLagSeconds, 'Age in seconds of the oldest unconsumed message of a group', (l) => l.sample.maxLagSeconds);
    perGroup(
      METRICS.groupStatus,
      `Burrow status of a group (worst partition): ${STATUSES.map((s) => `${STATUS_SEVERITY[s]}=${s}`).join(', ')}`,
      (l) => STATUS_SEVERITY[l.sample.status],
    );
    perGroup(METRICS.groupMembers, 'Active members of a consumer group', (l) => l.sample.members);
    new Gauge({
      name: METRICS.partitionStatus,
      help: 'Burrow status of a partition (same values as samverkan_consumer_group_status)',
      labelNames: partitionLabels,
      registers,
      collect() {
        this.reset();
        for (const { groupId, sample, partitionStatus } of groups.latest())
          for (const p of sample.partitions)
            this.set(
              { group: groupId, topic: p.topic, partition: String(p.partition) },
              STATUS_SEVERITY[partitionStatus.get(`${p.topic}:${p.partition}`) ?? 'ok'],
            );
      },
    });
    // prom-client collects all gauges of a scrape concurrently: the two DLQ gauges share one reading
    // per scrape (memoized briefly), as the two health gauges share ServicesHealthService's cache.
    const logger = this.logger;
    let dlqReading: { at: number; result: Promise<Map<string, { depth: number; unresolved: number }>> } | undefined;
    const readDlqs = () => {
      if (dlqReading && Date.now() - dlqReading.at < 1_000) return dlqReading.result;
      const result = (async () => {
        const out = new Map<string, { depth: number; unresolved: number }>();
        for (const groupId of groups.groupIds()) {
          const topic = dlqTopic(groupId);
          try {
            if (!(await groups.kafka.topicExists(topic))) continue;
            const offsets = await groups.kafka.topicOffsets(topic);
            const depth = offsets.reduce((sum, o) => sum + (o.end - o.start), 0);
            out.set(groupId, { depth, unresolved: depth === 0 ? 0 : await letters.openCount(groupId) });
          } catch (error) {
            logger.warn(`DLQ depth of ${groupId} failed: ${error instanceof Error ? error.name : 'error'}`);
          }
        }
        return out;
      })();
      dlqReading = { at: Date.now(), result };
      return result;
    };
    new Gauge({
      name: METRICS.dlqDepth,
      help: 'Messages in a consumer group’s dead-letter topic (within retention)',
      labelNames: ['group'],
      registers,
      async collect() {
        const reading = await readDlqs();
        this.reset();
        for (const [group, r] of reading) this.set({ group }, r.depth);
      },
    });
    new Gauge({
      name: METRICS.dlqUnresolved,
      help: 'Dead letters neither replayed nor discarded',
      labelNames: ['group'],
      registers,
      async collect() {
        const reading = await readDlqs();
        this.reset();
        for (const [group, r] of reading) this.set({ group }, r.unresolved);
      },
    });
    new Gauge({
      name: METRICS.outboxBacklog,
      help: 'Unpublished outbox rows per service (from its /health)',
      labelNames: ['service'],
      registers,
      async collect() {
        const { services } = await health.checkAll();
        this.reset();
        for (const s of services) if (s.outboxBacklog !== null) this.set({ service: s.name }, s.outboxBacklog);
      },
    });
    new Gauge({
      name: METRICS.serviceUp,
      help: '1 when the service’s /health says ok',
      labelNames: ['service'],
      registers,
      async collect() {
        const { services } = await health.checkAll();
        this.reset();
        for (const s of services) this.set({ service: s.name }, s.status === 'up' ? 1 : 0);
      },
    });
  }
}
