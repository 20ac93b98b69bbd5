import { AuthError } from '../verification/auth-error';
import { authConfigFromEnv } from './auth-config';

describe('authConfigFromEnv', () => {
  const base = { AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'samverkan-hub' };

  it('reads a JWKS file or URL, issuer and audience', () => {
    expect(authConfigFromEnv({ ...base, AUTH_JWKS_FILE: '/keys/jwks.json' })).toEqual({
      jwksFile: '/keys/jwks.json',
      jwksUrl: undefined,
      issuer: 'https://idp.example',
      audience: 'samverkan-hub',
      clockToleranceSeconds: 30,
    });
    expect(
      authConfigFromEnv({ ...base, AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_AUDIENCE: 'a, b' }),
    ).toMatchObject({
      jwksUrl: 'https://idp.example/jwks',
      audience: ['a', 'b'],
    });
  });

  it.each([
    ['no key source', { ...base }],
    ['both key sources', { ...base, AUTH_JWKS_FILE: '/k', AUTH_JWKS_URL: 'https://idp.example/jwks' }],
    ['plain http to a remote host', { ...base, AUTH_JWKS_URL: 'http://idp.example/jwks' }],
    ['no issuer', { AUTH_AUDIENCE: 'a', AUTH_JWKS_FILE: '/k' }],
    ['no audience', { AUTH_ISSUER: 'i', AUTH_JWKS_FILE: '/k' }],
    ['a bad clock tolerance', { ...base, AUTH_JWKS_FILE: '/k', AUTH_CLOCK_TOLERANCE_SECONDS: 'soon' }],
  ])('refuses %s', (_label, env) => {
    expect(() => authConfigFromEnv(env)).toThrow(AuthError);
  });

  it('allows plain http only to a local issuer', () => {
    expect(authConfigFromEnv({ ...base, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks' }).jwksUrl).toBe(
      'http://127.0.0.1:9000/jwks',
    );
  });
});
