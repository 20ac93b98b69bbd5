import { isValidPersonnummer } from '@samverkan/contracts';
import { luhnDigit, syntheticPersonnummer, syntheticReport } from './synthetic';

describe('synthetic concern reports for bench:pipeline', () => {
  it('computes the Luhn digit of a known number', () => {
    // 811218-9876 is the Swedish Tax Agency's textbook example.
    expect(luhnDigit('811218987')).toBe(6);
  });

  it('makes personnummer the hub accepts: 12 digits, a real date, the right check digit', () => {
    for (let i = 0; i < 500; i++) {
      const pnr = syntheticPersonnummer();
      expect(pnr).toMatch(/^20(1\d|2[01])\d{8}$/);
      expect(isValidPersonnummer(pnr)).toBe(true);
    }
  });

  it('files under the given school unit with a category from the code list', () => {
    const report = syntheticReport('12345678');
    expect(report.reportingUnit.schoolUnitCode).toBe('12345678');
    expect(report.categories).toHaveLength(1);
  });
});
