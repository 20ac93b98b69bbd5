import 'reflect-metadata';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@samverkan/messaging';
import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { SOCIAL_SERVICES_MIGRATIONS } from '../src/migrations';
import { SOCIAL_SERVICES_ENTITIES } from '../src/social-services.entities';

jest.setTimeout(60_000);

describe('social-services migrations', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('social_services_drift');
    // Exactly what the service kit gives the app: its entities and migrations plus the messaging kit's.
    dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [...SOCIAL_SERVICES_ENTITIES, ...MESSAGING_ENTITIES],
      migrations: [...SOCIAL_SERVICES_MIGRATIONS, ...MESSAGING_MIGRATIONS],
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
      expect.arrayContaining(['SocialServicesSchema1764000000000', 'MessagingTables1763900000000']),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('roll back cleanly', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)`,
      [['intake_items', 'interventions', 'consents', 'child_subjects']],
    );
    expect(tables).toEqual([]);
  });
});
