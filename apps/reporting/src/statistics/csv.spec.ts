import { toCsv } from './csv';
import { wantsCsv } from './statistics.controller';

describe('CSV', () => {
  const table = {
    statistic: 't',
    k: 5,
    filters: {},
    columns: ['month', 'teacher', 'share', 'note'],
    rows: [
      { month: '2026-01', teacher: null, share: 0.123456, note: 'a,"b"', suppressed: ['teacher'] },
      { month: 'total', teacher: 12, share: null, note: '=cmd()' },
    ],
    notes: [],
  };

  it('writes a header, suppressed cells as "..", not-applicable cells empty, RFC 4180 quoting', () => {
    expect(toCsv(table)).toBe(
      'month,teacher,share,note\r\n2026-01,..,0.1235,"a,""b"""\r\ntotal,12,,\'=cmd()\r\n',
    );
  });

  it('CSV on ?format=csv or Accept text/csv; format wins over Accept', () => {
    expect(wantsCsv('csv', undefined)).toBe(true);
    expect(wantsCsv(undefined, 'text/csv')).toBe(true);
    expect(wantsCsv(undefined, 'application/json, text/csv;q=0.5')).toBe(true);
    expect(wantsCsv(undefined, 'application/json')).toBe(false);
    expect(wantsCsv('json', 'text/csv')).toBe(false);
    expect(wantsCsv(undefined, undefined)).toBe(false);
  });
});
