import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { REPORTING_MIGRATIONS } from '../src/migrations';
import { PROJECTION_TABLES } from '../src/projections/projection-tables';
import { REPORTING_ENTITIES } from '../src/reporting.entities';

jest.setTimeout(60_000);

describe('reporting migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('reporting_drift', {
      entities: REPORTING_ENTITIES,
      migrations: REPORTING_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['ReportingProjections1764200000000', 'MessagingTables1763900000000']),
    );
    expect(await schema.pendingSchemaQueries()).toEqual([]);
    expect(await schema.tablesPresent(PROJECTION_TABLES)).toEqual([...PROJECTION_TABLES].sort());
  });

  it('roll back cleanly', async () => {
    await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(PROJECTION_TABLES)).toEqual([]);
  });
});
