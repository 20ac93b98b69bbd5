import { createHmac } from 'node:crypto';
import { PersonnummerError } from './personnummer';
import { createPseudonymizer, pseudonymize, PseudonymKeyError } from './pseudonym';

const KEY = 'k'.repeat(32);
const OTHER_KEY = 'o'.repeat(32);

describe('pseudonymize', () => {
  it('is HMAC-SHA256 of the normalized 12-digit form, in hex by default', () => {
    const expected = createHmac('sha256', KEY).update('191212121212').digest('hex');
    expect(pseudonymize('19121212-1212', KEY)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps every spelling of one child to one pseudonym', () => {
    const a = pseudonymize('191212121212', KEY);
    expect(pseudonymize('121212+1212', KEY)).toBe(a);
    expect(pseudonymize(' 19121212-1212 ', KEY)).toBe(a);
  });

  it('gives another pseudonym under another key, and never contains the number', () => {
    const a = pseudonymize('191212121212', KEY);
    expect(pseudonymize('191212121212', OTHER_KEY)).not.toBe(a);
    expect(a).not.toContain('121212');
  });

  it('offers base64url', () => {
    expect(pseudonymize('191212121212', KEY, 'base64url')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a short key and an invalid personnummer', () => {
    expect(() => pseudonymize('191212121212', 'short')).toThrow(PseudonymKeyError);
    expect(() => createPseudonymizer(Buffer.alloc(16))).toThrow(PseudonymKeyError);
    expect(() => pseudonymize('191212121213', KEY)).toThrow(PersonnummerError);
  });
});
