import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { dlqTopic } from '@samverkan/contracts';
import {
  ConsumerGroupInspector,
  type ConsumerGroupLag,
  type ConsumerGroupMember,
  type KafkaAdminConnection,
} from '@samverkan/messaging';
import { AppError } from '@samverkan/platform';
import { OPERATIONS_ENV, OPERATIONS_KAFKA } from '../common/operations.tokens';
import type { OperationsEnv } from '../config/operations.env';
import { evaluateGroup, type Status } from '../status/burrow';
import { expectedGroups, type ExpectedGroup } from './expected-groups';
import { LagHistoryStore } from './lag-history.store';
import {
  observationsOf,
  partitionKey,
  sampleOf,
  type GroupSample,
  type PartitionSample,
} from './group-sample';

export interface GroupSummary {
  groupId: string;
  expected: boolean;
  state: string;
  members: number;
  status: Status;
  totalLag: number;
  maxLagSeconds: number;
  partitions: number;
  dlqTopic: string;
}

export interface GroupDetail {
  groupId: string;
  expected: boolean;
  state: string;
  status: Status;
  totalLag: number;
  maxLagSeconds: number;
  sampledAt: string;
  members: ConsumerGroupMember[];
  partitions: Array<PartitionSample & { status: Status }>;
}

interface Watched {
  expected?: ExpectedGroup;
  history: GroupSample[];
  members: ConsumerGroupMember[];
  partitionStatus: Map<string, Status>;
}

/**
 * Samples every consumer group (the topology's and whatever else Kafka lists) every interval, keeps
 * the last OPERATIONS_HISTORY_MINUTES and judges each partition with Burrow's rules over the last
 * OPERATIONS_STATUS_WINDOW samples. Memory is the working copy; each round is also written to the
 * database (LagHistoryStore) and loaded back at start, so a restart keeps the charts and the windows
 * (Kafka keeps the offsets, not their history).
 */
@Injectable()
export class ConsumerGroupsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ConsumerGroups');
  private readonly inspector: ConsumerGroupInspector;
  private readonly watched = new Map<string, Watched>();
  private readonly ignore: RegExp;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastSampleAt: Date | null = null;

  constructor(
    @Inject(OPERATIONS_ENV) private readonly env: OperationsEnv,
    @Inject(OPERATIONS_KAFKA) connection: KafkaAdminConnection,
    @Inject(LagHistoryStore) private readonly store: LagHistoryStore,
  ) {
    this.inspector = new ConsumerGroupInspector(connection);
    this.ignore = new RegExp(env.OPERATIONS_IGNORE_GROUPS);
    for (const expected of expectedGroups())
      this.watched.set(expected.groupId, { expected, history: [], members: [], partitionStatus: new Map() });
  }

  get intervalSeconds(): number {
    return this.env.OPERATIONS_SAMPLE_INTERVAL_SECONDS;
  }

  get windowSize(): number {
    return this.env.OPERATIONS_STATUS_WINDOW;
  }

  /** The Kafka inspector, shared with the metrics (DLQ depth) so one admin connection serves both. */
  get kafka(): ConsumerGroupInspector {
    return this.inspector;
  }

  async onModuleInit(): Promise<void> {
    await this.restore();
    if (this.env.OPERATIONS_SAMPLER_ENABLED) this.schedule(0);
  }

  private get horizonMs(): number {
    return this.env.OPERATIONS_HISTORY_MINUTES * 60_000;
  }

  /** The stored history of the last OPERATIONS_HISTORY_MINUTES; without it the console starts empty, not down. */
  private async restore(): Promise<void> {
    try {
      const stored = await this.store.load(new Date(Date.now() - this.horizonMs));
      for (const [groupId, history] of stored) {
        let watched = this.watched.get(groupId);
        if (!watched) {
          if (this.ignore.test(groupId)) continue;
          watched = { history: [], members: [], partitionStatus: new Map() };
          this.watched.set(groupId, watched);
        }
        watched.history = history;
        watched.partitionStatus = evaluateGroup(observationsOf(history), {
          windowSize: this.windowSize,
        }).partitions;
      }
      const samples = [...stored.values()].reduce((n, h) => n + h.length, 0);
      if (samples > 0)
        this.logger.log(`restored ${samples} samples of ${stored.size} groups from the database`);
    } catch (error) {
      this.logger.warn(`restoring the lag history failed: ${errorName(error)}; starting without it`);
    }
  }

  /** Appends a round to the database and prunes what fell out of the history; failures only cost persistence. */
  private async persist(samples: Array<{ groupId: string; sample: GroupSample }>, now: Date): Promise<void> {
    try {
      if (samples.length > 0) await this.store.append(samples);
      await this.store.prune(new Date(now.getTime() - this.horizonMs));
    } catch (error) {
      this.logger.warn(`storing the lag history failed: ${errorName(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.inspector.disconnect();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sampleNow().finally(() => this.schedule(this.intervalSeconds * 1000));
    }, delayMs);
    this.timer.unref?.();
  }

  /** One sampling round over every watched group; concurrent callers share the round in progress. */
  sampleNow(): Promise<void> {
    this.running ??= this.sampleRound().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sampleRound(): Promise<void> {
    try {
      for (const groupId of await this.inspector.listConsumerGroupIds()) {
        if (this.ignore.test(groupId) || this.watched.has(groupId)) continue;
        this.watched.set(groupId, { history: [], members: [], partitionStatus: new Map() });
      }
    } catch (error) {
      this.logger.warn(`listing consumer groups failed: ${errorName(error)}`);
    }
    const now = new Date();
    const round: Array<{ groupId: string; sample: GroupSample }> = [];
    for (const groupId of [...this.watched.keys()]) {
      if (this.stopped) return;
      try {
        const sample = await this.sampleGroup(groupId, now);
        if (sample) round.push({ groupId, sample });
      } catch (error) {
        this.logger.warn(`sampling group ${groupId} failed: ${errorName(error)}`);
      }
    }
    await this.persist(round, now);
    this.lastSampleAt = now;
  }

  private async sampleGroup(groupId: string, now: Date): Promise<GroupSample | undefined> {
    const watched = this.watched.get(groupId);
    if (!watched) return undefined;
    const lag = await this.inspector.describeConsumerGroupLag(groupId, {
      topics: watched.expected?.topics,
      now,
    });
    return this.record(watched, lag);
  }

  private record(watched: Watched, lag: ConsumerGroupLag): GroupSample {
    const sample = sampleOf(lag);
    watched.history.push(sample);
    const horizon = lag.sampledAt.getTime() - this.horizonMs;
    while (watched.history.length > 0 && Date.parse(watched.history[0].at) < horizon) watched.history.shift();
    const evaluation = evaluateGroup(observationsOf(watched.history), { windowSize: this.windowSize });
    sample.status = evaluation.status;
    watched.partitionStatus = evaluation.partitions;
    watched.members = lag.members;
    return sample;
  }

  private async ensureSampled(): Promise<void> {
    if (!this.lastSampleAt) await this.sampleNow();
  }

  async list(): Promise<{
    sampledAt: string | null;
    intervalSeconds: number;
    windowSize: number;
    groups: GroupSummary[];
  }> {
    await this.ensureSampled();
    const groups = [...this.watched.entries()]
      .map(([groupId, w]) => this.summary(groupId, w))
      .sort((a, b) => Number(b.expected) - Number(a.expected) || a.groupId.localeCompare(b.groupId));
    return {
      sampledAt: this.lastSampleAt?.toISOString() ?? null,
      intervalSeconds: this.intervalSeconds,
      windowSize: this.windowSize,
      groups,
    };
  }

  private summary(groupId: string, w: Watched): GroupSummary {
    const last = w.history[w.history.length - 1];
    return {
      groupId,
      expected: w.expected !== undefined,
      state: last?.state ?? 'Unknown',
      members: last?.members ?? 0,
      status: last?.status ?? 'ok',
      totalLag: last?.totalLag ?? 0,
      maxLagSeconds: last?.maxLagSeconds ?? 0,
      partitions: last?.partitions.length ?? 0,
      dlqTopic: dlqTopic(groupId),
    };
  }

  /** A group's latest sample; a group not watched yet is looked up in Kafka and watched from now on. */
  async detail(groupId: string): Promise<GroupDetail> {
    await this.ensureSampled();
    let w = this.watched.get(groupId);
    if (!w) {
      const lag = await this.inspector.describeConsumerGroupLag(groupId);
      if (lag.state === 'Dead' && lag.partitions.length === 0) throw AppError.notFound('Consumer group');
      w = { history: [], members: [], partitionStatus: new Map() };
      const sample = this.record(w, lag);
      this.watched.set(groupId, w);
      await this.persist([{ groupId, sample }], lag.sampledAt);
    }
    const last = w.history[w.history.length - 1];
    const partitionStatus = w.partitionStatus;
    return {
      groupId,
      expected: w.expected !== undefined,
      state: last?.state ?? 'Unknown',
      status: last?.status ?? 'ok',
      totalLag: last?.totalLag ?? 0,
      maxLagSeconds: last?.maxLagSeconds ?? 0,
      sampledAt: last?.at ?? new Date().toISOString(),
      members: w.members,
      partitions: (last?.partitions ?? []).map((p) => ({
        ...p,
        status: partitionStatus.get(partitionKey(p.topic, p.partition)) ?? 'ok',
      })),
    };
  }

  async history(
    groupId: string,
    minutes: number,
  ): Promise<{ groupId: string; intervalSeconds: number; samples: GroupSample[] }> {
    await this.ensureSampled();
    const w = this.watched.get(groupId);
    if (!w) throw AppError.notFound('Consumer group');
    const since = Date.now() - minutes * 60_000;
    return {
      groupId,
      intervalSeconds: this.intervalSeconds,
      samples: w.history.filter((s) => Date.parse(s.at) >= since),
    };
  }

  /** Latest samples of every watched group, for the metrics. */
  latest(): Array<{ groupId: string; sample: GroupSample; partitionStatus: ReadonlyMap<string, Status> }> {
    return [...this.watched.entries()]
      .filter(([, w]) => w.history.length > 0)
      .map(([groupId, w]) => ({
        groupId,
        sample: w.history[w.history.length - 1],
        partitionStatus: w.partitionStatus,
      }));
  }

  /** Every group the console knows (for DLQ metrics and lookups). */
  groupIds(): string[] {
    return [...this.watched.keys()];
  }
}

function errorName(error: unknown): string {
  return error instanceof Error
    ? `${error.name}${'type' in error ? ` (${String(error.type)})` : ''}`
    : typeof error;
}
