import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { OPERATIONS_MIGRATIONS } from '../src/migrations';
import { OPERATIONS_ENTITIES } from '../src/operations.entities';

jest.setTimeout(60_000);

const OPERATIONS_TABLES = ['audit_log', 'dead_letter_states', 'lag_samples'];

describe('operations migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('operations_drift', {
      entities: OPERATIONS_ENTITIES,
      migrations: OPERATIONS_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining([...OPERATIONS_MIGRATIONS.map((m) => m.name), 'MessagingTables1763900000000']),
    );
    expect(await schema.tablesPresent(OPERATIONS_TABLES)).toEqual(OPERATIONS_TABLES);
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('roll back cleanly', async () => {
    // Operations' own migrations are the newest: undo each of them, newest first.
    for (const _ of OPERATIONS_MIGRATIONS) await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(OPERATIONS_TABLES)).toEqual([]);
  });
});
