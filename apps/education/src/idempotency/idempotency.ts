import { createHash } from 'node:crypto';
import { AppError, AppErrorCode } from '@samverkan/platform';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on a response that replays what an earlier request with the same key created. */
export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

/** Visible ASCII, at most 255 characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/**
 * The Idempotency-Key header: absent means "no idempotency", anything else must be 1–255 visible
 * ASCII characters. The message names the rule, not the value.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
    throw AppError.validation([
      {
        field: IDEMPOTENCY_HEADER,
        message: `${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters`,
      },
    ]);
  }
  return header;
}

/**
 * A stable fingerprint of a validated request: JSON with sorted keys, so property order does not
 * matter, hashed so the stored value holds no personal data. Hash the normalized request (e.g. the
 * 12-digit personnummer), so two spellings of the same request are the same request.
 */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request), 'utf8').digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type ReplayDecision = { kind: 'replay'; resourceId: string } | { kind: 'conflict' };

/** A key seen before: the same request is answered with what it created; a different one is refused. */
export function decideOnSeenKey(
  stored: { requestHash: string; resourceId: string },
  requestHash: string,
): ReplayDecision {
  return stored.requestHash === requestHash
    ? { kind: 'replay', resourceId: stored.resourceId }
    : { kind: 'conflict' };
}

export function idempotencyKeyReused(): AppError {
  return new AppError(
    AppErrorCode.IDEMPOTENCY_KEY_REUSED,
    `This ${IDEMPOTENCY_HEADER} was already used with a different request`,
  );
}
