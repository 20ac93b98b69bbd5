import { isValidPersonnummer } from '../../identity';

/**
 * Format checks shared by the envelope and the event classes. They return booleans only: callers
 * build the issue text from the rule name, never from the value.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** RFC 3339 date-time (what CloudEvents `time` requires), with a real calendar date. */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , , oh, om] = m;
  if (!isRealDate(Number(y), Number(mo), Number(d))) return false;
  // Second 60 is a legal leap second in RFC 3339.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  return true;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** SCB municipality code: four digits (0781 = Ljungby). */
export function isMunicipalityCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}$/.test(value);
}

/** Skolverket school unit code (skolenhetskod): eight digits. */
export function isSchoolUnitCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{8}$/.test(value);
}

/**
 * Canonical personnummer on the wire: twelve digits `YYYYMMDDNNNC`, no separator (real date,
 * samordningsnummer day + 60 allowed, Luhn). Producers normalize other forms with
 * `normalizePersonnummer` before publishing, so every consumer and the router's pseudonym see one form.
 */
export function isCanonicalPersonnummer(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value) && isValidPersonnummer(value);
}

/** RFC 3986 URI-reference: no whitespace or characters outside the URI alphabet, valid %-escapes. */
export function isUriReference(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  if (!/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(value)) return false;
  return !/%(?![0-9A-Fa-f]{2})/.test(value);
}

/** Absolute URI: a scheme, then a URI-reference tail. */
export function isAbsoluteUri(value: unknown): value is string {
  return isUriReference(value) && /^[A-Za-z][A-Za-z0-9+.-]*:./.test(value);
}

/** W3C trace-context `traceparent` (version 00 layout; ff is forbidden, zero ids are invalid). */
export function isTraceparent(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value);
  if (!m) return false;
  return m[1] !== 'ff' && !/^0+$/.test(m[2]) && !/^0+$/.test(m[3]);
}

/** `samverkan.<aggregate>.<event>.v<major>`, kebab-case names. */
export const EVENT_TYPE_PATTERN =
  /^samverkan\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.v[1-9]\d*$/;
export function isEventTypeName(value: unknown): value is string {
  return typeof value === 'string' && EVENT_TYPE_PATTERN.test(value);
}
