import { Client } from 'pg';
import { pgReady, pgUrl } from './postgres-cluster';

export interface ServiceDatabase {
  database: string;
  username: string;
  password: string;
  url: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Errors that mean "someone else created it a moment ago" (another launcher or jest project). */
const RACE_CODES = new Set(['42P04', '42710', '23505']);

/**
 * One database and one login role per service. The role owns its database and its public schema (so
 * its migrations can create tables) and is the only non-superuser allowed to CONNECT to it.
 */
export async function provisionServiceDatabases(
  adminUrl: string,
  services: ReadonlyArray<{ service: string; database: string; username: string; password: string }>,
): Promise<Record<string, ServiceDatabase>> {
  const admin = new URL(adminUrl);
  const host = admin.hostname;
  const port = Number(admin.port || 5432);
  const result: Record<string, ServiceDatabase> = {};
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    for (const s of services) {
      const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [s.username]);
      if (role.rowCount === 0) {
        await tolerateRace(() =>
          client.query(`CREATE ROLE ${ident(s.username)} LOGIN PASSWORD ${literal(s.password)}`),
        );
      }
      // Also for an existing role: the password is the one stack.json hands out.
      await client.query(
        `ALTER ROLE ${ident(s.username)} LOGIN PASSWORD ${literal(s.password)} NOSUPERUSER NOCREATEROLE`,
      );
      const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [s.database]);
      if (db.rowCount === 0) {
        await tolerateRace(() =>
          client.query(`CREATE DATABASE ${ident(s.database)} OWNER ${ident(s.username)}`),
        );
      }
      await client.query(`ALTER DATABASE ${ident(s.database)} OWNER TO ${ident(s.username)}`);
      await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(s.database)} FROM PUBLIC`);
      await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(s.database)} TO ${ident(s.username)}`);
      await ownPublicSchema(adminUrl, s.database, s.username);
      const overTcp = pgUrl({ host, port, user: s.username, password: s.password, database: s.database });
      result[s.service] = {
        database: s.database,
        username: s.username,
        password: s.password,
        url: await sameRoute(overTcp, admin),
      };
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return result;
}

/**
 * The service's URL by the admin URL's route: through the Unix socket in its `host` parameter (see
 * unixSocketUrl) when the service's role may connect that way, else over TCP.
 */
async function sameRoute(overTcp: string, admin: URL): Promise<string> {
  const socketDir = admin.searchParams.get('host');
  if (!socketDir) return overTcp;
  const viaSocket = new URL(overTcp);
  viaSocket.searchParams.set('host', socketDir);
  return (await pgReady(viaSocket.toString())) === true ? viaSocket.toString() : overTcp;
}

async function ownPublicSchema(adminUrl: string, database: string, owner: string): Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`ALTER SCHEMA public OWNER TO ${ident(owner)}`);
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function tolerateRace(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code || !RACE_CODES.has(code)) throw error;
  }
}
