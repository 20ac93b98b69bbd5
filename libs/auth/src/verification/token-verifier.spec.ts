import { writeFile } from 'node:fs/promises';
import { HubTokenClaims } from '../claims/auth-user';
import { generateSigningKey, mintToken } from '../keys/signing-key';
import { createTestIssuer, TestIssuer } from '../testing/test-issuer';
import { AuthError, AuthErrorCode } from './auth-error';
import { TokenVerifier } from './token-verifier';

const CLAIMS: HubTokenClaims = {
  sub: 'teacher-1',
  agency: 'education',
  org_unit: '12345678',
  roles: ['reporter'],
};

async function codeOf(promise: Promise<unknown>): Promise<AuthErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
  throw new Error('expected verification to fail');
}

describe('TokenVerifier', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verifier = new TokenVerifier(issuer.config);
  });
  afterAll(() => issuer.cleanup());

  it('accepts a token signed by the configured key and returns the caller', async () => {
    const user = await verifier.verify(
      await issuer.mint({ ...CLAIMS, roles: ['reporter', 'consent-admin'] }),
    );
    expect(user).toMatchObject({
      subject: 'teacher-1',
      agency: 'education',
      orgUnit: '12345678',
      roles: ['reporter', 'consent-admin'],
      issuer: issuer.issuer,
    });
    expect(user.tokenId).toEqual(expect.any(String));
    expect(user.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('rejects a token signed by another key', async () => {
    const { key: otherKey } = await generateSigningKey();
    const forged = await mintToken(otherKey, CLAIMS, { issuer: issuer.issuer, audience: issuer.audience });
    expect(await codeOf(verifier.verify(forged))).toBe(AuthErrorCode.SIGNATURE_INVALID);
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await issuer.mint(CLAIMS)).split('.');
    const payload = Buffer.from(
      JSON.stringify({
        ...CLAIMS,
        roles: ['data-owner'],
        iss: issuer.issuer,
        aud: issuer.audience,
        exp: 9999999999,
      }),
    ).toString('base64url');
    expect(await codeOf(verifier.verify(`${header}.${payload}.${signature}`))).toBe(
      AuthErrorCode.SIGNATURE_INVALID,
    );
  });

  it('rejects an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ ...CLAIMS, iss: issuer.issuer, aud: issuer.audience, exp: 9999999999 }),
    ).toString('base64url');
    expect(await codeOf(verifier.verify(`${header}.${payload}.`))).toBe(AuthErrorCode.SIGNATURE_INVALID);
  });

  it('rejects an expired token', async () => {
    const expired = await issuer.mint(CLAIMS, { expiredSecondsAgo: 120 });
    expect(await codeOf(verifier.verify(expired))).toBe(AuthErrorCode.TOKEN_EXPIRED);
  });

  it('tolerates small clock skew within the configured leeway', async () => {
    const justExpired = await issuer.mint(CLAIMS, { expiredSecondsAgo: 5 });
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ subject: 'teacher-1' });
  });

  it('rejects a wrong issuer and a wrong audience', async () => {
    expect(await codeOf(verifier.verify(await issuer.mint(CLAIMS, { issuer: 'https://evil.example' })))).toBe(
      AuthErrorCode.CLAIM_INVALID,
    );
    expect(await codeOf(verifier.verify(await issuer.mint(CLAIMS, { audience: 'another-system' })))).toBe(
      AuthErrorCode.CLAIM_INVALID,
    );
  });

  it.each([
    ['roles missing', { ...CLAIMS, roles: undefined }],
    ['roles not an array', { ...CLAIMS, roles: 'reporter' }],
    ['agency unknown', { ...CLAIMS, agency: 'police' }],
    ['org_unit missing', { ...CLAIMS, org_unit: undefined }],
    ['org_unit with spaces', { ...CLAIMS, org_unit: 'a b' }],
    ['sub missing', { ...CLAIMS, sub: undefined }],
  ])('rejects a token with %s', async (_label, claims) => {
    expect(await codeOf(verifier.verify(await issuer.mint(claims as Record<string, unknown>)))).toBe(
      AuthErrorCode.CLAIM_INVALID,
    );
  });

  it('rejects garbage without echoing it', async () => {
    const error = (await verifier.verify('not-a-token').catch((e: unknown) => e)) as AuthError;
    expect(error.code).toBe(AuthErrorCode.TOKEN_MALFORMED);
    expect(error.message).not.toContain('not-a-token');
    expect(await codeOf(verifier.verify('a.b.c'))).toBe(AuthErrorCode.TOKEN_MALFORMED);
  });

  it('picks up a rotated key file without a restart', async () => {
    const rotating = await createTestIssuer();
    const local = new TokenVerifier(rotating.config);
    await local.verify(await rotating.mint(CLAIMS));
    const { key: next } = await generateSigningKey();
    await writeFile(rotating.jwksFile, JSON.stringify({ keys: [next.publicJwk] }));
    const token = await mintToken(next, CLAIMS, { issuer: rotating.issuer, audience: rotating.audience });
    await expect(local.verify(token)).resolves.toMatchObject({ subject: 'teacher-1' });
    await rotating.cleanup();
  });

  it('reports an unreadable key file as unavailable keys', async () => {
    const missing = new TokenVerifier({ jwksFile: '/nonexistent/jwks.json', issuer: 'i', audience: 'a' });
    expect(await codeOf(missing.verify(await issuer.mint(CLAIMS)))).toBe(AuthErrorCode.KEYS_UNAVAILABLE);
  });
});
