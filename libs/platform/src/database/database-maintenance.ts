import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the service's PostgreSQL does to keep its tables fit (GET /health shows it). */
export interface DatabaseMaintenance {
  autovacuum: 'on' | 'off';
  warning?: string;
}

export const AUTOVACUUM_OFF_WARNING =
  'PostgreSQL autovacuum is off on this server: planner statistics go stale and dead index entries ' +
  'pile up, so prepared statements keep plans made for small tables and the outbox relay reads ' +
  'more with every published row. Turn autovacuum on, or run VACUUM (ANALYZE) on this database ' +
  'at least every minute.';

/**
 * The hub's hot statements rely on what autovacuum keeps current: statistics (a prepared statement
 * plans again when its tables are ANALYZEd) and dead index entries removed (the outbox's pending
 * index). A server with autovacuum off degrades them slowly and silently, so the service says so at
 * start, once, and on GET /health. It is a warning, not a failure: the service works, only slower.
 */
@Injectable()
export class DatabaseMaintenanceCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('DatabaseMaintenance');

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async read(): Promise<DatabaseMaintenance> {
    const [row] = await this.dataSource.query<Array<{ autovacuum: string }>>(
      `SELECT current_setting('autovacuum') AS autovacuum`,
    );
    return row?.autovacuum === 'off'
      ? { autovacuum: 'off', warning: AUTOVACUUM_OFF_WARNING }
      : { autovacuum: 'on' };
  }

  async onApplicationBootstrap(): Promise<void> {
    const maintenance = await this.read().catch(() => undefined);
    if (maintenance?.warning) this.logger.warn(maintenance.warning);
  }
}
