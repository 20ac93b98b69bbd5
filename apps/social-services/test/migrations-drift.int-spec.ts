import 'reflect-metadata';
import { openServiceSchema, type ServiceSchema } from '@samverkan/testing';
import { SOCIAL_SERVICES_MIGRATIONS } from '../src/migrations';
import { SOCIAL_SERVICES_ENTITIES } from '../src/social-services.entities';

jest.setTimeout(60_000);

const SOCIAL_SERVICES_TABLES = [
  'intake_items',
  'interventions',
  'consents',
  'child_subjects',
  'investigations',
];

describe('social-services migrations', () => {
  let schema: ServiceSchema;

  beforeAll(async () => {
    schema = await openServiceSchema('social_services_drift', {
      entities: SOCIAL_SERVICES_ENTITIES,
      migrations: SOCIAL_SERVICES_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await schema?.close();
  });

  it('run on an empty database and leave nothing for TypeORM to change (no drift from the entities)', async () => {
    const applied = await schema.dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'SocialServicesSchema1764000000000',
        'Investigations1764200000000',
        'MessagingTables1763900000000',
      ]),
    );
    expect(await schema.tablesPresent(SOCIAL_SERVICES_TABLES)).toEqual([...SOCIAL_SERVICES_TABLES].sort());
    expect(await schema.pendingSchemaQueries()).toEqual([]);
  });

  it('roll back cleanly, the investigations first', async () => {
    await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(SOCIAL_SERVICES_TABLES)).toEqual(
      SOCIAL_SERVICES_TABLES.filter((t) => t !== 'investigations').sort(),
    );
    await schema.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await schema.tablesPresent(SOCIAL_SERVICES_TABLES)).toEqual([]);
  });
});
