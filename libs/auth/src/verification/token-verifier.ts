import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { AuthUser, isCallerAgency } from '../claims/auth-user';
import { AuthConfig, validateAuthConfig } from '../config/auth-config';
import { AuthError, AuthErrorCode } from './auth-error';
import { JoseModule, loadJose } from './jose.loader';

/**
 * Asymmetric algorithms only: a shared-secret (HS*) token could be forged by anyone who can verify
 * it, and `none` is never accepted.
 */
export const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA', 'Ed25519'];

const ORG_UNIT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const MAX_ROLES = 64;

/**
 * Verifies bearer tokens against the configured public keys and turns their claims into an AuthUser.
 * Failures become AuthError with a code; the token itself is never put in a message.
 */
export class TokenVerifier {
  private readonly config: AuthConfig;
  private keySet?: JWTVerifyGetKey;
  private fileContent?: string;

  constructor(config: AuthConfig) {
    this.config = validateAuthConfig(config);
  }

  async verify(token: string): Promise<AuthUser> {
    if (!token || token.split('.').length !== 3) {
      throw new AuthError(AuthErrorCode.TOKEN_MALFORMED, 'Bearer token is not a compact JWS');
    }
    const jose = await loadJose();
    try {
      return await this.verifyWith(jose, await this.keys(jose, false), token);
    } catch (error) {
      // A local key file may have been rotated (mint-token regenerated it); look once more.
      if (error instanceof jose.errors.JWKSNoMatchingKey && this.config.jwksFile) {
        return this.verifyWith(jose, await this.keys(jose, true), token).catch((e: unknown) =>
          Promise.reject(toAuthError(jose, e)),
        );
      }
      throw toAuthError(jose, error);
    }
  }

  private async verifyWith(jose: JoseModule, keySet: JWTVerifyGetKey, token: string): Promise<AuthUser> {
    const { payload } = await jose.jwtVerify(token, keySet, {
      issuer: this.config.issuer,
      audience: this.config.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: this.config.clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
    });
    return userFromClaims(payload);
  }

  private async keys(jose: JoseModule, reload: boolean): Promise<JWTVerifyGetKey> {
    const file = this.config.jwksFile;
    if (this.keySet && !reload) return this.keySet;
    if (!file) {
      // The remote set caches keys and refetches on an unknown kid (with a cooldown) by itself.
      this.keySet = jose.createRemoteJWKSet(new URL(this.config.jwksUrl as string));
      return this.keySet;
    }
    try {
      // Compared by content, not mtime: a rewrite within the same clock tick must still count.
      const content = await readFile(file, 'utf8');
      if (this.keySet && this.fileContent === content) return this.keySet;
      this.keySet = jose.createLocalJWKSet(JSON.parse(content) as JSONWebKeySet);
      this.fileContent = content;
      return this.keySet;
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthError(AuthErrorCode.KEYS_UNAVAILABLE, 'The configured JWKS file cannot be read');
    }
  }
}

function toAuthError(jose: JoseModule, error: unknown): AuthError {
  const { errors } = jose;
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError(AuthErrorCode.TOKEN_EXPIRED, 'Token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthError(AuthErrorCode.CLAIM_INVALID, `Token claim "${error.claim}" is invalid`);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new AuthError(AuthErrorCode.KEYS_UNAVAILABLE, 'Signing keys unavailable');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new AuthError(AuthErrorCode.TOKEN_MALFORMED, 'Token is malformed');
  }
  // Signature mismatch, unknown key, algorithm not allowed: all "not signed by our issuer".
  return new AuthError(AuthErrorCode.SIGNATURE_INVALID, 'Token signature not accepted');
}

function claimError(claim: string): AuthError {
  return new AuthError(AuthErrorCode.CLAIM_INVALID, `Token claim "${claim}" is invalid`);
}

export function userFromClaims(payload: Record<string, unknown>): AuthUser {
  const { sub, agency, org_unit: orgUnit, roles, iss, jti, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) throw claimError('sub');
  if (!isCallerAgency(agency)) throw claimError('agency');
  if (typeof orgUnit !== 'string' || !ORG_UNIT.test(orgUnit)) throw claimError('org_unit');
  if (
    !Array.isArray(roles) ||
    roles.length > MAX_ROLES ||
    !roles.every((r) => typeof r === 'string' && r.length > 0)
  ) {
    throw claimError('roles');
  }
  return {
    subject: sub,
    agency,
    orgUnit,
    roles: Object.freeze([...(roles as string[])]),
    issuer: String(iss),
    tokenId: typeof jti === 'string' ? jti : undefined,
    expiresAt: new Date(Number(exp) * 1000),
  };
}
