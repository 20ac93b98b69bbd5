import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { ROUTER_MIGRATIONS } from '../src/migrations';
import { ROUTER_ENTITIES } from '../src/router.module';

jest.setTimeout(60_000);

describe('router migrations', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('router_drift');
    // The same entities and migrations the service kit gives the router's DataSource.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...ROUTER_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...ROUTER_MIGRATIONS, ...MESSAGING_MIGRATIONS],
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    if (url) await dropScratchDatabase(url);
  });

  it('build exactly the schema the entities describe (no drift)', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['RouterTables1763910000000', 'MessagingTables1763900000000']),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('can be reverted', async () => {
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'router_%'`,
    );
    expect(tables).toEqual([]);
  });
});
