import 'reflect-metadata';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { REPORTING_MIGRATIONS } from '../src/migrations';
import { PROJECTION_TABLES } from '../src/projections/projection-tables';
import { REPORTING_ENTITIES } from '../src/reporting.entities';

jest.setTimeout(60_000);

describe('reporting migrations', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('reporting_drift');
    // Exactly what the service kit gives the app: its entities and migrations plus the messaging kit's.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...REPORTING_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...REPORTING_MIGRATIONS, ...MESSAGING_MIGRATIONS],
      logging: false,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (url) await dropScratchDatabase(url);
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['ReportingProjections1764200000000', 'MessagingTables1763900000000']),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await tables(dataSource)).toEqual([...PROJECTION_TABLES].sort());
  });

  it('roll back cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables(dataSource)).toEqual([]);
  });
});

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY 1`,
    [[...PROJECTION_TABLES]],
  );
  return rows.map((r) => r.table_name);
}
