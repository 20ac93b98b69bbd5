import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVerifier } from '../verification/token-verifier';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalSigningKey, localAuthEnv } from './local-keys';
import { mintToken } from './signing-key';
import { authConfigFromEnv } from '../config/auth-config';

describe('local development issuer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'samverkan-local-auth-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a key pair once, keeps the private key private, and reuses it', async () => {
    const first = await loadOrCreateLocalSigningKey(dir);
    const second = await loadOrCreateLocalSigningKey(dir);
    expect(second.key.kid).toBe(first.key.kid);
    expect((await stat(first.privateKeyFile)).mode & 0o077).toBe(0);
    const jwks = JSON.parse(await readFile(first.jwksFile, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]).toMatchObject({ kid: first.key.kid, alg: 'ES256', use: 'sig' });
  });

  it('mints tokens that an app configured with localAuthEnv() accepts', async () => {
    const { key } = await loadOrCreateLocalSigningKey(dir);
    const token = await mintToken(
      key,
      { sub: 'dev', agency: 'leisure', org_unit: 'fritid-1', roles: ['course-admin'] },
      { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, expiresIn: '15m' },
    );
    const verifier = new TokenVerifier(authConfigFromEnv(localAuthEnv(dir)));
    await expect(verifier.verify(token)).resolves.toMatchObject({
      agency: 'leisure',
      roles: ['course-admin'],
    });
  });
});
