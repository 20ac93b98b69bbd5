import { writeFile } from 'node:fs/promises';
import { HubTokenClaims } from '../claims/auth-user';
import { generateSigningKey, mintToken } from '../keys/signing-key';
import { createTestIssuer, TestIssuer } from '../testing/test-issuer';
import { AuthError, AuthErrorCode } from './auth-error';
import { KEY_RECHECK_MS, TokenVerifier } from './token-verifier';

const CLAIMS: HubTokenClaims = {
  sub: 'teacher-1',
  agency: 'education',
  org_unit: '12345678',
  roles: ['reporter'],
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once the wall clock (as jose reads it) has reached `epochSeconds`. */
async function untilEpochSecond(epochSeconds: number): Promise<void> {
  while (Date.now() < epochSeconds * 1000) await sleep(Math.max(10, epochSeconds * 1000 - Date.now()));
}

function expOf(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
}

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

  describe('verified-token cache', () => {
    // Counts signature checks (calls through to WebCrypto); jose itself is not mocked.
    let signatureChecks: jest.SpyInstance;
    beforeEach(() => {
      signatureChecks = jest.spyOn(crypto.subtle, 'verify');
    });
    afterEach(() => {
      signatureChecks.mockRestore();
      jest.useRealTimers();
    });

    it('answers the second verify of the same token with the same user, without a signature check', async () => {
      const local = new TokenVerifier(issuer.config);
      const token = await issuer.mint(CLAIMS);
      const first = await local.verify(token);
      const checksAfterFirst = signatureChecks.mock.calls.length;
      expect(checksAfterFirst).toBeGreaterThan(0);

      const second = await local.verify(token);
      expect(second).toEqual(first);
      expect(signatureChecks.mock.calls.length).toBe(checksAfterFirst);
    });

    it('hands out a copy, so a handler changing its user does not change the next request', async () => {
      const local = new TokenVerifier(issuer.config);
      const token = await issuer.mint(CLAIMS);
      const first = await local.verify(token);
      (first as { subject: string }).subject = 'someone-else';
      first.expiresAt.setTime(0);
      const second = await local.verify(token);
      (second as { agency: string }).agency = 'leisure';
      await expect(local.verify(token)).resolves.toMatchObject({
        subject: 'teacher-1',
        agency: 'education',
        expiresAt: new Date(expOf(token) * 1000),
      });
    });

    it('rejects a cached token as expired once its exp plus the clock tolerance has passed', async () => {
      // Real time, kept short: exp one second ahead with one second of tolerance.
      const local = new TokenVerifier({ ...issuer.config, clockToleranceSeconds: 1 });
      const token = await issuer.mint(CLAIMS, { expiresIn: 1 });
      await expect(local.verify(token)).resolves.toMatchObject({ subject: 'teacher-1' });

      await untilEpochSecond(expOf(token) + 1);
      expect(await codeOf(local.verify(token))).toBe(AuthErrorCode.TOKEN_EXPIRED);
    });

    it('draws the expiry line of a cached token exactly where a fresh verification does', async () => {
      // Only Date is faked (jose reads `new Date()`); WebCrypto, file reads and timers stay real.
      const start = (Math.floor(Date.now() / 1000) + 0.5) * 1000;
      jest.useFakeTimers({
        now: start,
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      const tolerance = 30; // the default, as the other tests use
      const cachedVerifier = new TokenVerifier(issuer.config);
      const token = await issuer.mint(CLAIMS, { expiresIn: 5 });
      const exp = expOf(token);
      await cachedVerifier.verify(token);

      // The last instant both accept, then the first both reject.
      for (const [at, accepted] of [
        [(exp + tolerance) * 1000 - 1, true],
        [(exp + tolerance) * 1000, false],
      ] as const) {
        jest.setSystemTime(at);
        const fresh = new TokenVerifier(issuer.config).verify(token);
        const checksBefore = signatureChecks.mock.calls.length;
        const cached = cachedVerifier.verify(token);
        if (accepted) {
          await expect(cached).resolves.toMatchObject({ subject: 'teacher-1' });
          await expect(fresh).resolves.toMatchObject({ subject: 'teacher-1' });
        } else {
          expect(await codeOf(cached)).toBe(AuthErrorCode.TOKEN_EXPIRED);
          expect(await codeOf(fresh)).toBe(AuthErrorCode.TOKEN_EXPIRED);
        }
        // Still within the recheck interval and cached: the accepted answer came from the cache.
        if (accepted) expect(signatureChecks.mock.calls.length).toBe(checksBefore + 1); // the fresh one
      }
    });

    it('never answers a tampered token from the cache', async () => {
      const local = new TokenVerifier(issuer.config);
      const token = await issuer.mint(CLAIMS);
      await local.verify(token);
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['data-owner'] })).toString(
        'base64url',
      );
      expect(await codeOf(local.verify(`${header}.${elevated}.${signature}`))).toBe(
        AuthErrorCode.SIGNATURE_INVALID,
      );
      const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      expect(await codeOf(local.verify(`${header}.${payload}.${flipped}`))).toBe(
        AuthErrorCode.SIGNATURE_INVALID,
      );
      await expect(local.verify(token)).resolves.toMatchObject({ roles: ['reporter'] });
    });

    it('does not remember a failure: a token accepted once its key is published', async () => {
      const rotating = await createTestIssuer();
      const local = new TokenVerifier(rotating.config);
      const { key: next } = await generateSigningKey();
      const token = await mintToken(next, CLAIMS, { issuer: rotating.issuer, audience: rotating.audience });
      expect(await codeOf(local.verify(token))).toBe(AuthErrorCode.SIGNATURE_INVALID);
      await writeFile(rotating.jwksFile, JSON.stringify({ keys: [next.publicJwk] }));
      await expect(local.verify(token)).resolves.toMatchObject({ subject: 'teacher-1' });
      await rotating.cleanup();
    });

    // The key file is looked at again only every KEY_RECHECK_MS, or at once for a token with an
    // unknown kid. Right after a rotation (within that interval, no unknown kid seen) the old set,
    // and so the cache, may still answer; these tests therefore make the rotation noticed either way
    // and then require the old key's cached token to fail.
    it('drops cached tokens when a token with a new kid reveals a rotated key file', async () => {
      const rotating = await createTestIssuer();
      const local = new TokenVerifier(rotating.config);
      const oldToken = await rotating.mint(CLAIMS);
      await local.verify(oldToken);
      await local.verify(oldToken); // cached now

      const { key: next } = await generateSigningKey();
      await writeFile(rotating.jwksFile, JSON.stringify({ keys: [next.publicJwk] }));
      const newToken = await mintToken(next, CLAIMS, {
        issuer: rotating.issuer,
        audience: rotating.audience,
      });
      await expect(local.verify(newToken)).resolves.toMatchObject({ subject: 'teacher-1' });
      expect(await codeOf(local.verify(oldToken))).toBe(AuthErrorCode.SIGNATURE_INVALID);
      await rotating.cleanup();
    });

    it('drops cached tokens when the periodic recheck finds a rotated key file', async () => {
      const rotating = await createTestIssuer();
      const local = new TokenVerifier(rotating.config);
      const oldToken = await rotating.mint(CLAIMS);
      await local.verify(oldToken);
      await local.verify(oldToken); // cached now

      const { key: next } = await generateSigningKey();
      await writeFile(rotating.jwksFile, JSON.stringify({ keys: [next.publicJwk] }));
      await sleep(KEY_RECHECK_MS + 100);
      expect(await codeOf(local.verify(oldToken))).toBe(AuthErrorCode.SIGNATURE_INVALID);
      await rotating.cleanup();
    });
  });
});
