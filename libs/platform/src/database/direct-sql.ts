import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

export const DIRECT_SQL_OPTIONS = Symbol('DIRECT_SQL_OPTIONS');

export interface DirectSqlOptions {
  /**
   * How long a named (prepared) statement keeps its plan on a connection before it is prepared
   * anew. Default 60 s.
   */
  replanAfterMs?: number;
}

/**
 * Single statements on the app's own connection pool (TypeORM's), without the QueryRunner around
 * each: for the hot path, where one statement is the whole transaction. Nothing is logged here, so a
 * failing statement cannot put its parameters (personal data) into a log.
 */
@Injectable()
export class DirectSql {
  private readonly replanAfterMs: number;
  /** Per pooled connection: each named statement's current server-side name and when it was made. */
  private readonly prepared = new WeakMap<PoolClient, Map<string, { name: string; at: number }>>();
  private generation = 0;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(DIRECT_SQL_OPTIONS) options?: DirectSqlOptions,
  ) {
    this.replanAfterMs = options?.replanAfterMs ?? 60_000;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async query<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    const result = await this.pool.query<T>(sql, params);
    return result.rows;
  }

  /**
   * Runs `work` on one connection, taken from the pool first: what `work` does (and the time it
   * takes) starts only once a connection is free, not while the request waits for one.
   */
  async connection<R>(work: (query: SqlQuery) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    try {
      return await work(async <T extends object>(sql: string, params: unknown[], name?: string) => {
        const result = await client.query<T>(
          name
            ? { name: await this.currentName(client, name), text: sql, values: params }
            : { text: sql, values: params },
        );
        return result.rows;
      });
    } finally {
      client.release();
    }
  }

  /**
   * The server-side name of statement `name` on `client`, a new one every `replanAfterMs` (the old
   * one deallocated). PostgreSQL switches a prepared statement to a generic plan after five runs and
   * keeps it until an ANALYZE of its tables; one made while a table was small keeps scanning it
   * whole as it grows (autovacuum ANALYZEs a busy table at most once a minute, a server without it
   * never). Preparing anew now and then bounds that, at the price of planning it a few times more.
   */
  private async currentName(client: PoolClient, name: string): Promise<string> {
    let names = this.prepared.get(client);
    if (!names) this.prepared.set(client, (names = new Map()));
    const now = Date.now();
    const current = names.get(name);
    if (current && now - current.at < this.replanAfterMs) return current.name;
    if (current) {
      // Not there if its first run failed before it was prepared: nothing to free then.
      await client.query(`DEALLOCATE "${current.name.replace(/"/g, '""')}"`).catch(() => undefined);
    }
    const fresh = { name: `${name}#${++this.generation}`, at: now };
    names.set(name, fresh);
    return fresh.name;
  }
}

/**
 * A statement on the connection `work` holds. `name` makes it a prepared statement (per connection,
 * parsed and planned once instead of on every call, and again every `replanAfterMs`): for a hot
 * statement whose text never changes.
 */
export type SqlQuery = <T extends object>(sql: string, params: unknown[], name?: string) => Promise<T[]>;
