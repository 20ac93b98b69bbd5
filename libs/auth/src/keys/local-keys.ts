import type { JWK } from 'jose';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSigningKey, jwksOf, SigningKey, signingKeyFromPrivateJwk } from './signing-key';

/**
 * The local development issuer: a key pair under .local/auth/ (git-ignored). The private key never
 * leaves that folder; apps read only jwks.json. In production an OIDC provider issues the tokens
 * and the apps get AUTH_JWKS_URL instead.
 */
export const LOCAL_AUTH_DIR = '.local/auth';
export const LOCAL_ISSUER = 'https://auth.samverkan.local';
export const LOCAL_AUDIENCE = 'samverkan-hub';
export const PRIVATE_KEY_FILE = 'signing-key.private.jwk.json';
export const JWKS_FILE = 'jwks.json';

export interface LocalIssuerFiles {
  dir: string;
  jwksFile: string;
  privateKeyFile: string;
}

export function localIssuerFiles(dir: string = LOCAL_AUTH_DIR): LocalIssuerFiles {
  const abs = resolve(dir);
  return { dir: abs, jwksFile: join(abs, JWKS_FILE), privateKeyFile: join(abs, PRIVATE_KEY_FILE) };
}

/** The env an app needs to accept tokens of the local issuer. */
export function localAuthEnv(dir: string = LOCAL_AUTH_DIR): Record<string, string> {
  return {
    AUTH_JWKS_FILE: localIssuerFiles(dir).jwksFile,
    AUTH_ISSUER: LOCAL_ISSUER,
    AUTH_AUDIENCE: LOCAL_AUDIENCE,
  };
}

async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  // Apps may read jwks.json at any moment; never let them see half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

/** Loads the key pair in `dir`, creating it (and jwks.json) on first use. */
export async function loadOrCreateLocalSigningKey(
  dir: string = LOCAL_AUTH_DIR,
): Promise<{ key: SigningKey } & LocalIssuerFiles> {
  const files = localIssuerFiles(dir);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  let key: SigningKey;
  try {
    key = await signingKeyFromPrivateJwk(JSON.parse(await readFile(files.privateKeyFile, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const generated = await generateSigningKey();
    await writeAtomically(files.privateKeyFile, JSON.stringify(generated.privateJwk, null, 2), 0o600);
    key = generated.key;
  }
  // Rewritten each time so a deleted or stale jwks.json heals itself.
  await writeAtomically(files.jwksFile, JSON.stringify(jwksOf(key), null, 2), 0o644);
  return { key, ...files };
}
