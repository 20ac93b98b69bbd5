import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadStackInfo } from './stack-info';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A fresh, empty database for one test file, owned by the stack's admin role; returns its URL.
 * Names start with `scratch_<prefix>_` so leftovers are easy to find; drop it with dropScratchDatabase.
 */
export async function createScratchDatabase(prefix: string): Promise<string> {
  const info = loadStackInfo();
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  const name = `scratch_${safe}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: info.postgres.adminUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${ident(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(info.postgres.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createScratchDatabase, closing whatever connections a test left open. */
export async function dropScratchDatabase(url: string): Promise<void> {
  const info = loadStackInfo();
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith('scratch_')) throw new Error(`refusing to drop ${name}: not a scratch database`);
  const admin = new Client({ connectionString: info.postgres.adminUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
