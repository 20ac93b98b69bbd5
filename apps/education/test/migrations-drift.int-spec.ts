import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { EDUCATION_ENTITIES } from '../src/education.entities';
import { EDUCATION_MIGRATIONS } from '../src/migrations';

jest.setTimeout(60_000);

const EDUCATION_TABLES = [
  'child_subjects',
  'idempotency_keys',
  'concern_reports',
  'consents',
  'school_absence_flags',
  'shared_intervention_events',
];

describe('education migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('education_drift', {
      entities: EDUCATION_ENTITIES,
      migrations: EDUCATION_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['EducationSchema1764100000000', 'MessagingTables1763900000000']),
    );
    expect(await schema.tablesPresent(EDUCATION_TABLES)).toEqual([...EDUCATION_TABLES].sort());
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('roll back cleanly', async () => {
    // Education's migration is the newest (the messaging kit's runs first), so one undo reverts it.
    await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(EDUCATION_TABLES)).toEqual([]);
  });
});
