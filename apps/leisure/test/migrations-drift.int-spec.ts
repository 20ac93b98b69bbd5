import 'reflect-metadata';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { LEISURE_ENTITIES } from '../src/leisure.entities';
import { LEISURE_MIGRATIONS } from '../src/migrations';

jest.setTimeout(60_000);

describe('leisure migrations', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('leisure_drift');
    // Exactly what the service kit gives the app: its entities and migrations plus the messaging kit's.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...LEISURE_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...LEISURE_MIGRATIONS, ...MESSAGING_MIGRATIONS],
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
      expect.arrayContaining(['LeisureSchema1764200000000', 'MessagingTables1763900000000']),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('keep one active enrolment per person and course in the database itself', async () => {
    const course = '00000000-0000-4000-8000-000000000001';
    const insert = (id: string, status: string) =>
      dataSource.query(
        `INSERT INTO enrollments (id, course_id, status, channel, participant_role, participant_key, subject, registered_by)
         VALUES ($1, $2, $3, 'self-registration', 'parent', 'same-key', $1, 'test')`,
        [id, course, status],
      );
    await insert('00000000-0000-4000-8000-0000000000a1', 'withdrawn');
    await insert('00000000-0000-4000-8000-0000000000a2', 'enrolled');
    await expect(insert('00000000-0000-4000-8000-0000000000a3', 'waitlisted')).rejects.toThrow(
      /duplicate key/,
    );
    await dataSource.query(`DELETE FROM enrollments`);
  });

  it('roll back cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
      [['courses', 'enrollments', 'attendance', 'session_records', 'referrals', 'participant_subjects']],
    );
    expect(tables).toEqual([]);
  });
});
