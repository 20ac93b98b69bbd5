import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { LEISURE_ENTITIES } from '../src/leisure.entities';
import { LEISURE_MIGRATIONS } from '../src/migrations';

jest.setTimeout(60_000);

const LEISURE_TABLES = [
  'courses',
  'enrollments',
  'attendance',
  'session_records',
  'referrals',
  'participant_subjects',
];

describe('leisure migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('leisure_drift', {
      entities: LEISURE_ENTITIES,
      migrations: LEISURE_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining(['LeisureSchema1764200000000', 'MessagingTables1763900000000']),
    );
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('keep one active enrolment per person and course in the database itself', async () => {
    const course = '00000000-0000-4000-8000-000000000001';
    const insert = (id: string, status: string) =>
      schema.dataSource.query(
        `INSERT INTO enrollments (id, course_id, status, channel, participant_role, participant_key, subject, registered_by)
         VALUES ($1, $2, $3, 'self-registration', 'parent', 'same-key', $1, 'test')`,
        [id, course, status],
      );
    await insert('00000000-0000-4000-8000-0000000000a1', 'withdrawn');
    await insert('00000000-0000-4000-8000-0000000000a2', 'enrolled');
    await expect(insert('00000000-0000-4000-8000-0000000000a3', 'waitlisted')).rejects.toThrow(
      /duplicate key/,
    );
    await schema.dataSource.query(`DELETE FROM enrollments`);
  });

  it('roll back cleanly', async () => {
    await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(LEISURE_TABLES)).toEqual([]);
  });
});
