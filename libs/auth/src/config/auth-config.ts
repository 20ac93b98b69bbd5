import { AuthError, AuthErrorCode } from '../verification/auth-error';

/**
 * Where the public keys come from and which tokens to accept.
 *
 * Environment:
 * - AUTH_JWKS_FILE   path of a JWKS JSON file (local development, tests), or
 * - AUTH_JWKS_URL    the issuer's JWKS endpoint (production OIDC provider) — exactly one of the two
 * - AUTH_ISSUER      required `iss`
 * - AUTH_AUDIENCE    required `aud` (comma-separated for several)
 * - AUTH_CLOCK_TOLERANCE_SECONDS  optional leeway for exp/nbf, default 30
 */
export interface AuthConfig {
  jwksFile?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string | string[];
  clockToleranceSeconds?: number;
}

export const AUTH_ENV = {
  JWKS_FILE: 'AUTH_JWKS_FILE',
  JWKS_URL: 'AUTH_JWKS_URL',
  ISSUER: 'AUTH_ISSUER',
  AUDIENCE: 'AUTH_AUDIENCE',
  CLOCK_TOLERANCE_SECONDS: 'AUTH_CLOCK_TOLERANCE_SECONDS',
} as const;

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

function invalid(message: string): AuthError {
  return new AuthError(AuthErrorCode.CONFIG_INVALID, message);
}

export function validateAuthConfig(config: AuthConfig): AuthConfig {
  const sources = [config.jwksFile, config.jwksUrl].filter((s) => s !== undefined && s !== '');
  if (sources.length !== 1)
    throw invalid(`Set exactly one of ${AUTH_ENV.JWKS_FILE} and ${AUTH_ENV.JWKS_URL}`);
  if (config.jwksUrl !== undefined && config.jwksUrl !== '') {
    let url: URL;
    try {
      url = new URL(config.jwksUrl);
    } catch {
      throw invalid(`${AUTH_ENV.JWKS_URL} is not a URL`);
    }
    // Plain http only for a local issuer; keys fetched over the network must be authenticated.
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      throw invalid(`${AUTH_ENV.JWKS_URL} must use https`);
    }
  }
  if (!config.issuer) throw invalid(`${AUTH_ENV.ISSUER} is required`);
  const audiences = Array.isArray(config.audience) ? config.audience : [config.audience];
  if (audiences.length === 0 || audiences.some((a) => !a)) throw invalid(`${AUTH_ENV.AUDIENCE} is required`);
  const tolerance = config.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300) {
    throw invalid(`${AUTH_ENV.CLOCK_TOLERANCE_SECONDS} must be an integer from 0 to 300`);
  }
  return { ...config, clockToleranceSeconds: tolerance };
}

export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const audience = (env[AUTH_ENV.AUDIENCE] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const tolerance = env[AUTH_ENV.CLOCK_TOLERANCE_SECONDS];
  return validateAuthConfig({
    jwksFile: env[AUTH_ENV.JWKS_FILE] || undefined,
    jwksUrl: env[AUTH_ENV.JWKS_URL] || undefined,
    issuer: env[AUTH_ENV.ISSUER] ?? '',
    audience: audience.length === 1 ? audience[0] : audience,
    clockToleranceSeconds: tolerance === undefined || tolerance === '' ? undefined : Number(tolerance),
  });
}
