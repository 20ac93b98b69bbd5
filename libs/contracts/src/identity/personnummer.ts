/**
 * Swedish personal identity numbers (personnummer, folkbokföringslagen 18 §) and coordination
 * numbers (samordningsnummer, day of birth + 60).
 *
 * Accepted input: `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYMMDDNNNN`, `YYYYMMDDNNNN`, `YYYYMMDD-NNNN`
 * (surrounding whitespace ignored). In the 10-digit form `-` means "under 100 years old" and `+`
 * "100 or older"; the century is resolved against a reference date (today by default). The hub
 * stores and transmits only the normalized 12-digit form, which carries no such ambiguity.
 *
 * Errors name a rule, never the value: a personnummer must not reach logs or error messages.
 */

/** 12 digits, `YYYYMMDDNNNN`. Branded so a raw string can't be passed where a checked one is needed. */
export type NormalizedPersonnummer = string & { readonly __brand: 'NormalizedPersonnummer' };

export enum PersonnummerErrorCode {
  /** Not 10 or 12 digits with an optional separator. */
  FORMAT = 'PERSONNUMMER_FORMAT',
  /** The date part (after removing the +60 of a coordination number) is not a real date. */
  DATE = 'PERSONNUMMER_DATE',
  /** The date of birth lies after the reference date. */
  FUTURE_DATE = 'PERSONNUMMER_FUTURE_DATE',
  /** The Luhn check digit does not match. */
  CHECKSUM = 'PERSONNUMMER_CHECKSUM',
}

const MESSAGES: Record<PersonnummerErrorCode, string> = {
  [PersonnummerErrorCode.FORMAT]: 'must be 10 or 12 digits, optionally with - or + before the last four',
  [PersonnummerErrorCode.DATE]: 'does not contain a real date of birth',
  [PersonnummerErrorCode.FUTURE_DATE]: 'has a date of birth in the future',
  [PersonnummerErrorCode.CHECKSUM]: 'has an incorrect check digit',
};

/** Thrown by the throwing helpers. The message never contains the rejected value. */
export class PersonnummerError extends Error {
  constructor(readonly code: PersonnummerErrorCode) {
    super(`Personal identity number ${MESSAGES[code]}`);
    this.name = 'PersonnummerError';
  }
}

/** Human-readable rule for a code, without the value; for validation messages. */
export function personnummerErrorMessage(code: PersonnummerErrorCode): string {
  return MESSAGES[code];
}

export interface Personnummer {
  normalized: NormalizedPersonnummer;
  /** ISO date `YYYY-MM-DD` (for a coordination number, with the +60 removed). */
  birthDate: string;
  coordinationNumber: boolean;
}

export type PersonnummerParseResult =
  { ok: true; value: Personnummer } | { ok: false; code: PersonnummerErrorCode; message: string };

export interface PersonnummerParseOptions {
  /** Resolves the century of 10-digit input and rejects future dates. Defaults to now. */
  referenceDate?: Date;
}

const PATTERN = /^(\d{2})?(\d{6})([-+])?(\d{4})$/;
const COORDINATION_OFFSET = 60;

export function parsePersonnummer(
  input: unknown,
  options: PersonnummerParseOptions = {},
): PersonnummerParseResult {
  const fail = (code: PersonnummerErrorCode): PersonnummerParseResult => ({
    ok: false,
    code,
    message: MESSAGES[code],
  });
  if (typeof input !== 'string') return fail(PersonnummerErrorCode.FORMAT);
  const match = PATTERN.exec(input.trim());
  if (!match) return fail(PersonnummerErrorCode.FORMAT);
  const [, century, yymmdd, separator, serial] = match;
  // '+' only has a meaning in the 10-digit form; with a century given it would contradict it.
  if (century !== undefined && separator === '+') return fail(PersonnummerErrorCode.FORMAT);

  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const rawDay = Number(yymmdd.slice(4, 6));
  const coordinationNumber = rawDay > COORDINATION_OFFSET;
  const day = coordinationNumber ? rawDay - COORDINATION_OFFSET : rawDay;

  const reference = options.referenceDate ?? new Date();
  const refYear = reference.getUTCFullYear();
  let year: number;
  if (century !== undefined) {
    year = Number(century) * 100 + yy;
  } else {
    // The most recent year ending in yy whose date is not after the reference date, minus a
    // century for '+'. Compared on the date so a birthday later this year still resolves right.
    year = refYear - ((((refYear - yy) % 100) + 100) % 100);
    if (isValidDate(year, month, day) && toIsoDate(year, month, day) > isoDateOf(reference)) year -= 100;
    if (separator === '+') year -= 100;
  }

  if (!isValidDate(year, month, day)) return fail(PersonnummerErrorCode.DATE);
  const birthDate = toIsoDate(year, month, day);
  if (birthDate > isoDateOf(reference)) return fail(PersonnummerErrorCode.FUTURE_DATE);
  if (!luhnValid(yymmdd + serial)) return fail(PersonnummerErrorCode.CHECKSUM);

  const normalized = `${String(year).slice(0, 2)}${yymmdd}${serial}` as NormalizedPersonnummer;
  return { ok: true, value: { normalized, birthDate, coordinationNumber } };
}

export function isValidPersonnummer(input: unknown, options?: PersonnummerParseOptions): boolean {
  return parsePersonnummer(input, options).ok;
}

/** The 12-digit form; throws PersonnummerError (without the value) when the input is invalid. */
export function normalizePersonnummer(
  input: unknown,
  options?: PersonnummerParseOptions,
): NormalizedPersonnummer {
  const result = parsePersonnummer(input, options);
  if (!result.ok) throw new PersonnummerError(result.code);
  return result.value.normalized;
}

/** Luhn (mod 10) over the 10 digits YYMMDDNNNN, weights 2,1,2,1,... from the left. */
export function luhnValid(tenDigits: string): boolean {
  if (!/^\d{10}$/.test(tenDigits)) return false;
  return luhnSum(tenDigits) % 10 === 0;
}

/** The check digit that completes the nine digits YYMMDDNNN. Used to build synthetic test numbers. */
export function luhnCheckDigit(nineDigits: string): number {
  if (!/^\d{9}$/.test(nineDigits)) throw new PersonnummerError(PersonnummerErrorCode.FORMAT);
  return (10 - (luhnSum(nineDigits) % 10)) % 10;
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return sum;
}

// Personnummer were introduced in 1947 for everyone then alive; earlier years are typing errors.
const EARLIEST_YEAR = 1800;

function isValidDate(year: number, month: number, day: number): boolean {
  if (year < EARLIEST_YEAR || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function toIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isoDateOf(date: Date): string {
  return toIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}
