/**
 * Why a request was not authenticated or not authorized. The code goes to logs and metrics; the
 * HTTP answer is only 401 or 403 with a fixed message, so a caller learns nothing about records.
 */
export enum AuthErrorCode {
  TOKEN_MISSING = 'AUTH_TOKEN_MISSING',
  TOKEN_MALFORMED = 'AUTH_TOKEN_MALFORMED',
  SIGNATURE_INVALID = 'AUTH_SIGNATURE_INVALID',
  TOKEN_EXPIRED = 'AUTH_TOKEN_EXPIRED',
  CLAIM_INVALID = 'AUTH_CLAIM_INVALID',
  KEYS_UNAVAILABLE = 'AUTH_KEYS_UNAVAILABLE',
  ROLE_MISSING = 'AUTH_ROLE_MISSING',
  AGENCY_NOT_ALLOWED = 'AUTH_AGENCY_NOT_ALLOWED',
  CONFIG_INVALID = 'AUTH_CONFIG_INVALID',
}

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
