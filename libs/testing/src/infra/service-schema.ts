import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { createScratchDatabase, dropScratchDatabase } from './scratch-database';

type EntityList = NonNullable<DataSourceOptions['entities']>;
type MigrationList = NonNullable<DataSourceOptions['migrations']>;

export interface ServiceSchema {
  dataSource: DataSource;
  /** SQL TypeORM would still run to make the database match the entities: empty means no drift. */
  pendingSchemaQueries(): Promise<string[]>;
  /** Which of these tables exist in the public schema, sorted. */
  tablesPresent(names: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A scratch database with exactly what the service kit gives an app: its entities and migrations
 * plus the messaging kit's outbox and inbox. The migration drift test of every app starts here.
 */
export async function openServiceSchema(
  prefix: string,
  app: { entities: EntityList; migrations: MigrationList },
): Promise<ServiceSchema> {
  const url = await createScratchDatabase(prefix);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: [...(app.entities as unknown[]), ...MESSAGING_ENTITIES] as EntityList,
    migrations: [...(app.migrations as unknown[]), ...MESSAGING_MIGRATIONS] as MigrationList,
    logging: false,
  });
  await dataSource.initialize();
  return {
    dataSource,
    async pendingSchemaQueries() {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      return pending.upQueries.map((q) => q.query);
    },
    async tablesPresent(names) {
      const rows: Array<{ table_name: string }> = await dataSource.query(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
        [[...names]],
      );
      return rows.map((r) => r.table_name);
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropScratchDatabase(url);
    },
  };
}
