import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { ROUTER_MIGRATIONS } from '../src/migrations';
import { ROUTER_ENTITIES } from '../src/router.module';

jest.setTimeout(60_000);

describe('router migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('router_drift', {
      entities: ROUTER_ENTITIES,
      migrations: ROUTER_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('build exactly the schema the entities describe (no drift)', async () => {
    const applied = await schema.dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['RouterTables1763910000000', 'MessagingTables1763900000000']),
    );
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('can be reverted', async () => {
    await schema.dataSource.undoLastMigration();
    await schema.dataSource.undoLastMigration();
    const tables: Array<{ table_name: string }> = await schema.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'router_%'`,
    );
    expect(tables).toEqual([]);
  });
});
