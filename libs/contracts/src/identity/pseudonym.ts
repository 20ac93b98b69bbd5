import { createHmac } from 'node:crypto';
import { normalizePersonnummer } from './personnummer';

/**
 * The keyed pseudonym the reporting audience sees instead of a personnummer:
 * HMAC-SHA256(key, normalized 12-digit personnummer).
 *
 * ONLY THE ROUTER HOLDS THE KEY. It is read from a secret file or the environment, never logged,
 * never put in an event, a metric or a config dump. Without the key nobody (reporting included)
 * can test a guessed personnummer against a pseudonym — which a plain hash would allow, since the
 * space of valid personnummer is small enough to enumerate. Rotating the key changes every
 * pseudonym, so reporting's projections must then be rebuilt from the audience topic.
 *
 * Normalizing first makes `YYMMDD-NNNN` and `YYYYMMDDNNNN` of one child map to one pseudonym.
 */

export type PseudonymEncoding = 'hex' | 'base64url';
export type PseudonymKey = string | Buffer | Uint8Array;

/** 256 bits: the HMAC-SHA256 block gives no extra strength beyond this, and less would be guessable. */
export const MIN_PSEUDONYM_KEY_BYTES = 32;

export enum PseudonymErrorCode {
  KEY_TOO_SHORT = 'PSEUDONYM_KEY_TOO_SHORT',
}

export class PseudonymKeyError extends Error {
  readonly code = PseudonymErrorCode.KEY_TOO_SHORT;
  constructor() {
    super(`The pseudonym key must be at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
    this.name = 'PseudonymKeyError';
  }
}

/** Throws PersonnummerError on an invalid personnummer, PseudonymKeyError on a short key. */
export function pseudonymize(
  personnummer: string,
  key: PseudonymKey,
  encoding: PseudonymEncoding = 'hex',
): string {
  return createPseudonymizer(key, encoding)(personnummer);
}

/** Checks the key once and returns a function the router can call per event. */
export function createPseudonymizer(
  key: PseudonymKey,
  encoding: PseudonymEncoding = 'hex',
): (personnummer: string) => string {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (keyBytes.length < MIN_PSEUDONYM_KEY_BYTES) throw new PseudonymKeyError();
  return (personnummer: string) =>
    createHmac('sha256', keyBytes).update(normalizePersonnummer(personnummer), 'ascii').digest(encoding);
}
