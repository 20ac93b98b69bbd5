import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadStackInfo } from '@samverkan/testing';
import { unixSocketUrl } from './postgres-cluster';

/** inet_server_addr() is NULL exactly when the session came in over a Unix-domain socket. */
async function serverAddress(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ addr: string | null }>('SELECT inet_server_addr()::text AS addr');
    return rows[0].addr;
  } finally {
    await client.end();
  }
}

const overTcp = (url: string) => {
  const u = new URL(url);
  u.searchParams.delete('host');
  return u.toString();
};

describe('the local stack reaches PostgreSQL through its Unix-domain socket', () => {
  const info = loadStackInfo();
  const socketDir = new URL(info.postgres.adminUrl).searchParams.get('host');
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pg-socket-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env.SAMVERKAN_PG_TCP;
  });

  it('gives the admin and every service database a socket URL, and sessions arrive without an IP address', async () => {
    expect(socketDir).toMatch(/^\//);
    expect(await serverAddress(info.postgres.adminUrl)).toBeNull();
    for (const db of Object.values(info.postgres.databases)) {
      expect(new URL(db.url).searchParams.get('host')).toBe(socketDir);
      expect(await serverAddress(db.url)).toBeNull();
    }
    // The same server over TCP answers from an address.
    expect(await serverAddress(overTcp(info.postgres.adminUrl))).toMatch(/^(127\.0\.0\.1|::1)/);
  });

  it('finds the socket of the server a TCP URL points at', async () => {
    const found = await unixSocketUrl(overTcp(info.postgres.adminUrl), [scratch, socketDir as string]);
    expect(found).toBeDefined();
    expect(new URL(found as string).searchParams.get('host')).toBe(socketDir);
    expect(await serverAddress(found as string)).toBeNull();
  });

  it('does not use a socket file that is not that server, nor a folder without one', async () => {
    const port = Number(new URL(info.postgres.adminUrl).port || 5432);
    const impostor: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => impostor.listen(join(scratch, `.s.PGSQL.${port}`), done));
    try {
      expect(await unixSocketUrl(overTcp(info.postgres.adminUrl), [scratch])).toBeUndefined();
    } finally {
      await new Promise<void>((done) => impostor.close(() => done()));
    }
    expect(await unixSocketUrl(overTcp(info.postgres.adminUrl), [join(scratch, 'missing')])).toBeUndefined();
  });

  it('keeps TCP when told to (SAMVERKAN_PG_TCP=1) and for a server on another host', async () => {
    process.env.SAMVERKAN_PG_TCP = '1';
    expect(await unixSocketUrl(overTcp(info.postgres.adminUrl), [socketDir as string])).toBeUndefined();
    delete process.env.SAMVERKAN_PG_TCP;
    const remote = new URL(overTcp(info.postgres.adminUrl));
    remote.hostname = 'db.example.invalid';
    expect(await unixSocketUrl(remote.toString(), [socketDir as string])).toBeUndefined();
  });
});
