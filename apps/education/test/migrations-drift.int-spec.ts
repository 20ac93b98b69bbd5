import 'reflect-metadata';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
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
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('education_drift');
    // Exactly what the service kit gives the app: its entities and migrations plus the messaging kit's.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...EDUCATION_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...EDUCATION_MIGRATIONS, ...MESSAGING_MIGRATIONS],
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
      expect.arrayContaining(['EducationSchema1764100000000', 'MessagingTables1763900000000']),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('roll back cleanly', async () => {
    // Education's migration is the newest (the messaging kit's runs first), so one undo reverts it.
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await educationTables(dataSource)).toEqual([]);
  });
});

async function educationTables(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
    [EDUCATION_TABLES],
  );
  return rows.map((r) => r.table_name);
}
