import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthUser, HubTokenClaims } from '../claims/auth-user';
import { AuthConfig } from '../config/auth-config';
import { generateSigningKey, jwksOf, mintToken, MintOptions } from '../keys/signing-key';

export interface TestIssuerOptions {
  /** Folder for jwks.json; a fresh temp folder by default. */
  dir?: string;
  issuer?: string;
  audience?: string;
}

export interface TestIssuer {
  jwksFile: string;
  issuer: string;
  audience: string;
  /** AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE, to hand to an app under test. */
  env: Record<string, string>;
  config: AuthConfig;
  /** A signed token. Omitted claims are left out, so tests can mint deliberately incomplete tokens. */
  mint(
    claims: Partial<HubTokenClaims> & Record<string, unknown>,
    options?: Partial<MintOptions>,
  ): Promise<string>;
  /** A token for a complete caller; `sub` defaults to `test-<agency>`. */
  mintFor(
    user: Pick<AuthUser, 'agency' | 'orgUnit'> & { roles: string[]; subject?: string },
  ): Promise<string>;
  /** `Authorization` header value. */
  bearer(token: string): string;
  cleanup(): Promise<void>;
}

/**
 * An issuer for e2e and unit tests: a fresh key pair whose public JWKS is written to a file, so
 * apps verify real signatures exactly as in production. The private key stays in memory.
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'samverkan-auth-')));
  const issuer = options.issuer ?? 'https://issuer.test.samverkan.local';
  const audience = options.audience ?? 'samverkan-hub';
  const { key } = await generateSigningKey();
  const jwksFile = join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify(jwksOf(key), null, 2));
  const mint: TestIssuer['mint'] = (claims, mintOptions = {}) =>
    mintToken(key, claims, { issuer, audience, ...mintOptions });
  return {
    jwksFile,
    issuer,
    audience,
    env: { AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience },
    config: { jwksFile, issuer, audience },
    mint,
    mintFor: (user) =>
      mint({
        sub: user.subject ?? `test-${user.agency}`,
        agency: user.agency,
        org_unit: user.orgUnit,
        roles: user.roles,
      }),
    bearer: (token) => `Bearer ${token}`,
    cleanup: async () => {
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
