import type { CryptoKey, JWK, JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import { HubTokenClaims } from '../claims/auth-user';
import { loadJose } from '../verification/jose.loader';

/** ES256: short tokens, fast verification, supported by every OIDC provider. */
export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as a JWK with kid, alg and use set; what goes in the JWKS. */
  publicJwk: JWK;
}

export interface MintOptions {
  issuer: string;
  audience: string | string[];
  /** Lifetime in seconds (default 3600) or a jose time span such as "15m". */
  expiresIn?: number | string;
  /** Sign with an `exp` in the past (for tests of expiry). */
  expiredSecondsAgo?: number;
}

export async function generateSigningKey(): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const { generateKeyPair, exportJWK, calculateJwkThumbprint } = await loadJose();
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM };
  return {
    key: { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' } },
    privateJwk,
  };
}

export async function signingKeyFromPrivateJwk(privateJwk: JWK): Promise<SigningKey> {
  const { importJWK, calculateJwkThumbprint } = await loadJose();
  const privateKey = (await importJWK(privateJwk, SIGNING_ALGORITHM)) as CryptoKey;
  const { d: _d, ...publicPart } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
  return {
    kid,
    privateKey,
    publicJwk: { ...publicPart, kid, alg: SIGNING_ALGORITHM, use: 'sig', key_ops: undefined },
  };
}

export function jwksOf(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => JSON.parse(JSON.stringify(k.publicJwk)) as JWK) };
}

export async function mintToken(
  key: SigningKey,
  claims: Partial<HubTokenClaims> & Record<string, unknown>,
  options: MintOptions,
): Promise<string> {
  const { SignJWT } = await loadJose();
  const { sub, ...rest } = claims;
  const jwt = new SignJWT(rest)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setJti(randomUUID());
  if (sub !== undefined) jwt.setSubject(sub);
  const now = Math.floor(Date.now() / 1000);
  if (options.expiredSecondsAgo !== undefined) {
    jwt
      .setIssuedAt(now - options.expiredSecondsAgo - 3600)
      .setExpirationTime(now - options.expiredSecondsAgo);
  } else {
    jwt
      .setIssuedAt(now)
      .setExpirationTime(
        typeof options.expiresIn === 'string' ? options.expiresIn : now + (options.expiresIn ?? 3600),
      );
  }
  return jwt.sign(key.privateKey);
}
