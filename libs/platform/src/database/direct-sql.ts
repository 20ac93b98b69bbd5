import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Single statements on the app's own connection pool (TypeORM's), without the QueryRunner around
 * each: for the hot path, where one statement is the whole transaction. Nothing is logged here, so a
 * failing statement cannot put its parameters (personal data) into a log.
 */
@Injectable()
export class DirectSql {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

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
          name ? { name, text: sql, values: params } : { text: sql, values: params },
        );
        return result.rows;
      });
    } finally {
      client.release();
    }
  }
}

/**
 * A statement on the connection `work` holds. `name` makes it a prepared statement (per connection,
 * parsed and planned once instead of on every call): for a hot statement whose text never changes.
 */
export type SqlQuery = <T extends object>(sql: string, params: unknown[], name?: string) => Promise<T[]>;
