import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Status } from '../status/burrow';
import { totals, type GroupSample } from './group-sample';
import { LagSampleRow } from './lag-sample.entity';

/**
 * The lag history in operations' own database, so a restart keeps the last hour's charts and the
 * Burrow windows instead of starting both from nothing. Memory stays the working copy: the sampler
 * appends each round here, prunes what fell out of the history, and loads what is left at start.
 * A group sample without partitions (a group with no topics yet) has nothing to keep.
 */
@Injectable()
export class LagHistoryStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** One round's samples, in one statement; a sample already stored (same group and time) is kept as it was. */
  async append(samples: ReadonlyArray<{ groupId: string; sample: GroupSample }>): Promise<void> {
    const rows = samples.flatMap(({ groupId, sample }) =>
      sample.partitions.map((p) => ({
        groupId,
        sampledAt: new Date(sample.at),
        topic: p.topic,
        partition: p.partition,
        groupState: sample.state,
        groupMembers: sample.members,
        groupStatus: sample.status,
        committedOffset: p.committedOffset,
        endOffset: p.endOffset,
        lag: p.lag,
        lagSeconds: p.lagSeconds,
        memberId: p.memberId,
      })),
    );
    // Postgres caps a statement at 65535 parameters (12 a row): chunk big rounds.
    for (let i = 0; i < rows.length; i += 2_000) {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(LagSampleRow)
        .values(rows.slice(i, i + 2_000))
        .orIgnore()
        .execute();
    }
  }

  /** Deletes samples older than `before`; returns how many partition rows went. */
  async prune(before: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(LagSampleRow)
      .where('sampled_at < :before', { before })
      .execute();
    return result.affected ?? 0;
  }

  /** Every group's samples since `since`, oldest first, as the sampler recorded them. */
  async load(since: Date): Promise<Map<string, GroupSample[]>> {
    const rows = await this.dataSource
      .getRepository(LagSampleRow)
      .createQueryBuilder('s')
      .where('s.sampled_at >= :since', { since })
      .orderBy('s.group_id', 'ASC')
      .addOrderBy('s.sampled_at', 'ASC')
      .addOrderBy('s.topic', 'ASC')
      .addOrderBy('s.partition', 'ASC')
      .getMany();
    const out = new Map<string, GroupSample[]>();
    let current: GroupSample | undefined;
    let currentGroup: string | undefined;
    for (const row of rows) {
      const at = row.sampledAt.toISOString();
      if (!current || currentGroup !== row.groupId || current.at !== at) {
        current = {
          at,
          state: row.groupState,
          members: row.groupMembers,
          totalLag: 0,
          maxLagSeconds: 0,
          status: row.groupStatus as Status,
          partitions: [],
        };
        currentGroup = row.groupId;
        const list = out.get(row.groupId) ?? [];
        list.push(current);
        out.set(row.groupId, list);
      }
      current.partitions.push({
        topic: row.topic,
        partition: row.partition,
        committedOffset: row.committedOffset,
        endOffset: row.endOffset,
        lag: row.lag,
        lagSeconds: row.lagSeconds,
        memberId: row.memberId,
      });
    }
    for (const samples of out.values()) for (const s of samples) Object.assign(s, totals(s.partitions));
    return out;
  }
}
