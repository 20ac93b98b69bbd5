import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chownSync,
  statSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import type { StackLogger } from '../log';
import { isPortOpen, PortInUseError } from '../ports';
import { isAlive, run, tail } from '../process-util';
import { PG_PRIVATE_SUPERUSER_PASSWORD } from '../credentials';

export interface PostgresServer {
  host: string;
  port: number;
  /** A role that may create databases and roles (a superuser in practice). */
  adminUrl: string;
  /** 'external' = a server we found and never stop; 'private' = our own cluster under .local/postgres. */
  kind: 'external' | 'private';
  /** True when this call started the private cluster. */
  started: boolean;
  logFile?: string;
  /** Where the private cluster puts its Unix-domain socket. */
  socketDir?: string;
  stop(): Promise<void>;
}

export const pgUrl = (u: {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}): string =>
  `postgresql://${encodeURIComponent(u.user)}${u.password ? `:${encodeURIComponent(u.password)}` : ''}@${u.host}:${u.port}/${encodeURIComponent(u.database)}`;

/** Where a server on this machine keeps its Unix-domain socket: Debian's directory, then upstream's. */
export const SYSTEM_SOCKET_DIRS = ['/var/run/postgresql', '/run/postgresql', '/tmp'];

/**
 * The same server through its Unix-domain socket, when it has one in `dirs` that the URL's role may
 * use; otherwise undefined. A statement's round trip over the socket costs both sides less CPU than
 * over loopback TCP, which carries every byte through the TCP/IP stack twice (measured with pg on
 * this machine: 65 → 50 µs of client and 52 → 45 µs of server CPU per statement). "The same
 * server" = the same port and postmaster start time as seen over `url`; a socket that belongs to
 * another cluster, or whose pg_hba.conf refuses the role (peer authentication, say), is not used.
 * SAMVERKAN_PG_TCP=1 keeps TCP.
 */
export async function unixSocketUrl(url: string, dirs: readonly string[]): Promise<string | undefined> {
  if (process.env.SAMVERKAN_PG_TCP === '1') return undefined;
  const u = new URL(url);
  if (u.searchParams.has('host') || !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
    return undefined;
  const port = Number(u.port || 5432);
  const identity = async (connectionString: string): Promise<string | undefined> => {
    const client = new Client({ connectionString, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ id: string }>(
        "SELECT current_setting('port') || '@' || pg_postmaster_start_time()::text AS id",
      );
      return rows[0]?.id;
    } catch {
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const overTcp = await identity(url);
  if (!overTcp) return undefined;
  for (const dir of dirs) {
    if (!existsSync(join(dir, `.s.PGSQL.${port}`))) continue;
    const candidate = new URL(url);
    candidate.searchParams.set('host', dir);
    if ((await identity(candidate.toString())) === overTcp) return candidate.toString();
  }
  return undefined;
}

/** `SELECT 1` with a short connect timeout: the readiness check and the "is it usable" probe. */
export async function pgReady(url: string, timeoutMs = 3_000): Promise<true | Error> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server the environment points at: DATABASE_URL, else PGHOST/PGPORT/PGUSER/PGPASSWORD, else 127.0.0.1:5432. */
export function externalCandidate(): { url: string; host: string; port: number; explicit: boolean } {
  const fromEnv = process.env.SAMVERKAN_PG_ADMIN_URL ?? process.env.DATABASE_URL;
  if (fromEnv) {
    const u = new URL(fromEnv);
    return { url: fromEnv, host: u.hostname, port: Number(u.port || 5432), explicit: true };
  }
  const host = process.env.PGHOST && !process.env.PGHOST.startsWith('/') ? process.env.PGHOST : '127.0.0.1';
  const port = Number(process.env.PGPORT ?? 5432);
  const url = pgUrl({
    host,
    port,
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD,
    database: process.env.PGDATABASE ?? 'postgres',
  });
  return { url, host, port, explicit: Boolean(process.env.PGHOST || process.env.PGPORT) };
}

/** Can this role create roles and databases? Without that we cannot provision per-service databases. */
async function canProvision(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT (rolsuper OR (rolcreatedb AND rolcreaterole)) AS ok FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function findPgBinDir(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) {
    // pg_ctl lives next to initdb; follow a symlink (e.g. /usr/local/bin/initdb) to the real directory.
    const real = spawnSync('readlink', ['-f', onPath.stdout.trim()], { encoding: 'utf8' }).stdout.trim();
    return real.replace(/\/initdb$/, '');
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export interface PostgresOptions {
  stateDir: string;
  privatePort: number;
  log: StackLogger;
}

/**
 * Uses a reachable server (and never stops it), or initdb/pg_ctl a private cluster. PostgreSQL refuses
 * to run as root, so as root the cluster is created and run as the `postgres` OS user.
 */
export async function ensurePostgres(o: PostgresOptions): Promise<PostgresServer> {
  const candidate = externalCandidate();
  const ready = await pgReady(candidate.url);
  if (ready === true && (await canProvision(candidate.url))) {
    o.log(`postgres: using the server at ${candidate.host}:${candidate.port}`);
    return {
      host: candidate.host,
      port: candidate.port,
      adminUrl: candidate.url,
      kind: 'external',
      started: false,
      stop: async () => undefined,
    };
  }
  o.log(
    `postgres: no usable server at ${candidate.host}:${candidate.port} (${ready === true ? 'role lacks CREATEDB/CREATEROLE' : ready.message}); using a private cluster`,
  );
  return privateCluster(o);
}

/**
 * Where the private cluster lives. As root it runs as the `postgres` user, which must be able to reach
 * the directory: a checkout under a private home (/root is 0700) cannot host it, so it moves to
 * /var/tmp/samverkan-postgres-<hash of the checkout's state dir>.
 */
export function privateStateDir(stateDir: string): string {
  if (process.getuid?.() !== 0) return stateDir;
  for (let dir = dirname(stateDir); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      return join(
        '/var/tmp',
        `samverkan-postgres-${createHash('sha256').update(stateDir).digest('hex').slice(0, 12)}`,
      );
    }
    if (dir === dirname(dir)) return stateDir;
  }
}

async function privateCluster(options: PostgresOptions): Promise<PostgresServer> {
  const o = { ...options, stateDir: privateStateDir(options.stateDir) };
  if (o.stateDir !== options.stateDir)
    o.log(`postgres: ${options.stateDir} is not reachable for the postgres user; using ${o.stateDir}`);
  const bin = findPgBinDir();
  if (!bin) {
    throw new Error(
      'No reachable PostgreSQL server and no PostgreSQL binaries (initdb, pg_ctl) to start one. Install them, e.g. ' +
        '`apt-get install -y postgresql` (Debian/Ubuntu) or `brew install postgresql@16` (macOS), or point ' +
        'DATABASE_URL / PGHOST+PGPORT at a server where the user may create databases and roles.',
    );
  }
  const host = '127.0.0.1';
  const port = o.privatePort;
  const dataDir = join(o.stateDir, 'data');
  const socketDir = join(o.stateDir, 'run');
  const logFile = join(o.stateDir, 'postgres.log');
  const pwFile = join(o.stateDir, 'pwfile');
  const adminUrl = pgUrl({
    host,
    port,
    user: 'postgres',
    password: PG_PRIVATE_SUPERUSER_PASSWORD,
    database: 'postgres',
  });
  const asRoot = process.getuid?.() === 0;
  const exec = (cmd: string, args: string[], timeoutMs: number) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { timeoutMs })
      : run(join(bin, cmd), args, { timeoutMs });

  const stop = () => stopPrivateCluster(o.stateDir, o.log);

  const runningPid = postmasterPid(dataDir);
  if (runningPid !== undefined) {
    const ok = await pgReady(adminUrl);
    if (ok === true) {
      o.log(`postgres: reusing our private cluster (pid ${runningPid}) on ${host}:${port}`);
      return { host, port, adminUrl, kind: 'private', started: false, logFile, socketDir, stop };
    }
  }
  if (await isPortOpen(host, port))
    throw new PortInUseError(port, 'private PostgreSQL cluster', 'SAMVERKAN_PG_PORT');

  mkdirSync(o.stateDir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  const pgUser = asRoot ? pgOsUser() : undefined;
  if (pgUser) {
    chownSync(o.stateDir, pgUser.uid, pgUser.gid);
    chownSync(socketDir, pgUser.uid, pgUser.gid);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    o.log(`postgres: initdb ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(pwFile, PG_PRIVATE_SUPERUSER_PASSWORD, { mode: 0o600 });
    if (pgUser) chownSync(pwFile, pgUser.uid, pgUser.gid);
    // Passwords over TCP (like production), trust only over the private socket directory.
    const init = await exec(
      'initdb',
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      120_000,
    );
    rmSync(pwFile, { force: true });
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.stderr || init.stdout}`);
  }
  o.log(`postgres: starting the private cluster on ${host}:${port}; log: ${logFile}`);
  if (pgUser && existsSync(logFile)) chownSync(logFile, pgUser.uid, pgUser.gid);
  const start = await exec(
    'pg_ctl',
    [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${socketDir} -c listen_addresses=${host} -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ],
    90_000,
  );
  if (start.code !== 0) {
    throw new Error(
      `pg_ctl start failed (exit ${start.code}): ${start.stderr || start.stdout}\n--- ${logFile} ---\n${tail(logFile, 20)}`,
    );
  }
  const ok = await pgReady(adminUrl, 5_000);
  if (ok !== true)
    throw new Error(`private PostgreSQL started but SELECT 1 failed: ${ok.message}. Log: ${logFile}`);
  return { host, port, adminUrl, kind: 'private', started: true, logFile, socketDir, stop };
}

/** Stops the private cluster under stateDir if it runs; never touches any other server. */
export async function stopPrivateCluster(stateDir: string, log: StackLogger): Promise<void> {
  const dataDir = join(privateStateDir(stateDir), 'data');
  const bin = findPgBinDir();
  if (!bin || postmasterPid(dataDir) === undefined) return;
  log('postgres: stopping the private cluster ...');
  const args = ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'];
  const result =
    process.getuid?.() === 0
      ? await run('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { timeoutMs: 60_000 })
      : await run(join(bin, 'pg_ctl'), args, { timeoutMs: 60_000 });
  if (result.code !== 0)
    throw new Error(`pg_ctl stop failed (exit ${result.code}): ${result.stderr || result.stdout}`);
  log('postgres: stopped');
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

function pgOsUser(): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new Error(
      'Running as root, but there is no `postgres` OS user to run a private PostgreSQL cluster as (useradd -r postgres).',
    );
  }
  return { uid, gid };
}
