import {
  isValidPersonnummer,
  luhnCheckDigit,
  luhnValid,
  normalizePersonnummer,
  parsePersonnummer,
  PersonnummerError,
  PersonnummerErrorCode,
} from './personnummer';

// Synthetic numbers only: 19121212-1212 is the well-known test number ("Tolvan"); the rest are
// built here from a date and a serial with the Luhn helper, so none is chosen to match a person.
const synthetic = (yymmdd: string, serial3: string): string =>
  `${yymmdd}${serial3}${luhnCheckDigit(yymmdd + serial3)}`;
const REFERENCE = new Date('2026-11-23T12:00:00Z');
const parse = (input: unknown) => parsePersonnummer(input, { referenceDate: REFERENCE });
const codeOf = (input: unknown) => {
  const result = parse(input);
  return result.ok ? 'ok' : result.code;
};

describe('parsePersonnummer', () => {
  it('accepts the 12-digit form with and without a hyphen', () => {
    expect(parse('191212121212')).toEqual({
      ok: true,
      value: { normalized: '191212121212', birthDate: '1912-12-12', coordinationNumber: false },
    });
    expect(normalizePersonnummer('19121212-1212', { referenceDate: REFERENCE })).toBe('191212121212');
  });

  it('resolves the century of the 10-digit form: "-" under 100 years, "+" 100 or older', () => {
    const child = synthetic('150606', '238'); // born 2015
    expect(
      normalizePersonnummer(`${child.slice(0, 6)}-${child.slice(6)}`, { referenceDate: REFERENCE }),
    ).toBe(`20${child}`);
    expect(normalizePersonnummer(child, { referenceDate: REFERENCE })).toBe(`20${child}`);
    expect(
      normalizePersonnummer(`${child.slice(0, 6)}+${child.slice(6)}`, { referenceDate: REFERENCE }),
    ).toBe(`19${child}`);
    expect(normalizePersonnummer('121212-1212', { referenceDate: REFERENCE })).toBe('201212121212');
    expect(normalizePersonnummer('121212+1212', { referenceDate: REFERENCE })).toBe('191212121212');
  });

  it('puts a birthday later this year of a two-digit year in the previous century', () => {
    // On 2026-11-23, "261224" can only be 1926-12-24: 2026-12-24 has not happened yet.
    const late = synthetic('261224', '981');
    expect(normalizePersonnummer(late, { referenceDate: REFERENCE })).toBe(`19${late}`);
    const early = synthetic('260101', '981');
    expect(normalizePersonnummer(early, { referenceDate: REFERENCE })).toBe(`20${early}`);
  });

  it('accepts a samordningsnummer (day + 60) and reports the real date', () => {
    const coordination = synthetic('121272', '121'); // 12 Dec 2012 + 60
    const result = parse(`20${coordination}`);
    expect(result).toEqual({
      ok: true,
      value: { normalized: `20${coordination}`, birthDate: '2012-12-12', coordinationNumber: true },
    });
  });

  it('accepts 29 February in a leap year and rejects it otherwise', () => {
    expect(codeOf(`20${synthetic('200229', '983')}`)).toBe('ok');
    expect(codeOf(`20${synthetic('190229', '983')}`)).toBe(PersonnummerErrorCode.DATE);
    expect(codeOf(`19${synthetic('000229', '983')}`)).toBe(PersonnummerErrorCode.DATE); // 1900: not a leap year
    expect(codeOf(`20${synthetic('000229', '983')}`)).toBe('ok'); // 2000: a leap year
  });

  it.each([
    ['month 13', synthetic('121312', '121')],
    ['day 0', synthetic('121200', '121')],
    ['31 April', synthetic('120431', '121')],
    ['day 32', synthetic('121232', '121')],
    ['coordination day 92 (31 + 61)', synthetic('121292', '121')],
    ['coordination day 60 (0 + 60)', synthetic('121260', '121')],
  ])('rejects an impossible date: %s', (_label, tenDigits) => {
    expect(codeOf(`20${tenDigits}`)).toBe(PersonnummerErrorCode.DATE);
  });

  it('rejects a date of birth after the reference date', () => {
    expect(codeOf(`20${synthetic('270101', '981')}`)).toBe(PersonnummerErrorCode.FUTURE_DATE);
  });

  it('rejects a wrong check digit', () => {
    expect(codeOf('191212121213')).toBe(PersonnummerErrorCode.CHECKSUM);
    expect(codeOf('121212-1211')).toBe(PersonnummerErrorCode.CHECKSUM);
  });

  it.each([
    ['too short', '12121212'],
    ['11 digits', '12121212121'],
    ['13 digits', '1912121212120'],
    ['letters', '19121212-12AB'],
    ['separator in the wrong place', '1912-12121212'],
    ['"+" with a century', '19121212+1212'],
    ['two separators', '121212--1212'],
    ['empty', ''],
    ['a number, not a string', 191212121212],
    ['null', null],
  ])('rejects a malformed value: %s', (_label, input) => {
    expect(codeOf(input)).toBe(PersonnummerErrorCode.FORMAT);
  });

  it('ignores surrounding whitespace', () => {
    expect(codeOf('  19121212-1212 ')).toBe('ok');
  });

  it('defaults the reference date to now', () => {
    expect(isValidPersonnummer('19121212-1212')).toBe(true);
  });
});

describe('normalizePersonnummer', () => {
  it('throws a coded error whose message does not contain the value', () => {
    const bad = '191212121219';
    let caught: unknown;
    try {
      normalizePersonnummer(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PersonnummerError);
    expect((caught as PersonnummerError).code).toBe(PersonnummerErrorCode.CHECKSUM);
    expect((caught as Error).message).not.toContain(bad);
    expect((caught as Error).message).not.toContain('1212');
  });
});

describe('Luhn', () => {
  it('validates and completes ten digits', () => {
    expect(luhnValid('1212121212')).toBe(true);
    expect(luhnValid('1212121213')).toBe(false);
    expect(luhnCheckDigit('121212121')).toBe(2);
    expect(luhnValid('12121212')).toBe(false);
  });
});
