import 'reflect-metadata';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { OPERATIONS_MIGRATIONS } from '../src/migrations';
import { OPERATIONS_ENTITIES } from '../src/operations.entities';

jest.setTimeout(60_000);

const OPERATIONS_TABLES = ['audit_log', 'dead_letter_states'];

describe('operations migrations', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('operations_drift');
    // Exactly what the service kit gives the app: its entities and migrations plus the messaging kit's.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...OPERATIONS_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...OPERATIONS_MIGRATIONS, ...MESSAGING_MIGRATIONS],
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
      expect.arrayContaining(['OperationsSchema1764200000000', 'MessagingTables1763900000000']),
    );
    expect(await operationsTables(dataSource)).toEqual(OPERATIONS_TABLES);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('roll back cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await operationsTables(dataSource)).toEqual([]);
  });
});

async function operationsTables(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
    [OPERATIONS_TABLES],
  );
  return rows.map((r) => r.table_name);
}
