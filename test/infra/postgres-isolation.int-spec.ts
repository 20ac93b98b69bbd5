import { Client } from 'pg';
import { SERVICES } from '@samverkan/contracts';
import { loadStackInfo } from '@samverkan/testing';

/** Each service's role reaches its own database and no other (REVOKE CONNECT FROM PUBLIC + GRANT to the owner). */
const info = loadStackInfo();

function urlAs(service: string, databaseOf: string): string {
  const own = info.postgres.databases[service];
  const target = info.postgres.databases[databaseOf];
  const url = new URL(own.url);
  url.pathname = `/${target.database}`;
  return url.toString();
}

async function connectAndQuery(url: string): Promise<{ currentUser: string; currentDatabase: string }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ u: string; d: string }>(
      'SELECT current_user AS u, current_database() AS d',
    );
    return { currentUser: rows[0].u, currentDatabase: rows[0].d };
  } finally {
    await client.end();
  }
}

describe('PostgreSQL: one database and role per service', () => {
  it('provisions every service in the topology', () => {
    expect(Object.keys(info.postgres.databases).sort()).toEqual([...SERVICES].sort());
  });

  it.each(SERVICES.map((s) => [s]))('%s connects to its own database as its own role', async (service) => {
    const db = info.postgres.databases[service];
    await expect(connectAndQuery(db.url)).resolves.toEqual({
      currentUser: db.username,
      currentDatabase: db.database,
    });
  });

  it.each([
    ['education', 'social-services'],
    ['social-services', 'education'],
    ['leisure', 'reporting'],
    ['reporting', 'education'],
    ['router', 'leisure'],
  ])("%s's role cannot connect to %s's database", async (service, other) => {
    const db = info.postgres.databases[other];
    const error = await connectAndQuery(urlAs(service, other)).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe('42501'); // insufficient_privilege
    expect(error?.message).toContain(`permission denied for database "${db.database}"`);
  });

  it('lets a service role create tables in its own database (it owns the public schema)', async () => {
    const client = new Client({ connectionString: info.postgres.databases.education.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('CREATE TABLE acl_probe (id int primary key)');
      await client.query('INSERT INTO acl_probe VALUES (1)');
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM acl_probe');
      expect(rows[0].n).toBe('1');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });
});
