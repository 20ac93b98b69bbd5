import {
  enoughIndividuals,
  isSmallCount,
  protectCount,
  protectShare,
  protectTable,
  shareSuppressed,
} from './suppression';

const K = 5;

describe('small-count protection', () => {
  it('a count from 1 to k−1 is small; 0 and k upwards are not', () => {
    expect([0, 1, 4, 5, 6].map((n) => isSmallCount(n, K))).toEqual([false, true, true, false, false]);
    expect(protectCount(3, K)).toBeNull();
    expect(protectCount(0, K)).toBe(0);
    expect(protectCount(5, K)).toBe(5);
  });

  it('k is configurable', () => {
    expect(protectCount(5, 10)).toBeNull();
    expect(protectCount(9, 10)).toBeNull();
    expect(protectCount(10, 10)).toBe(10);
    expect(() => protectCount(1, 0)).toThrow(RangeError);
  });

  it('without margins only primary suppression applies', () => {
    const t = protectTable({ cells: [[3, 10, 20]] }, K);
    expect(t.cells).toEqual([[null, 10, 20]]);
    expect(t.suppressed).toEqual([[true, false, false]]);
  });

  it('a row with a shown total gets a complementary cell suppressed: the smallest non-zero one', () => {
    const t = protectTable({ cells: [[3, 10, 20, 0]], rowTotals: true }, K);
    expect(t.rowTotals).toEqual([33]);
    expect(t.cells).toEqual([[null, null, 20, 0]]);
    // 33 − 20 − 0 = 13 = 3 + 10: the small cell cannot be recovered.
    expect(t.suppressed[0]).toEqual([true, true, false, false]);
  });

  it('a row whose total is small is suppressed whole; its zeros stay', () => {
    const t = protectTable({ cells: [[3, 0]], rowTotals: true }, K);
    expect(t.cells).toEqual([[null, 0]]);
    expect(t.rowTotals).toEqual([null]);
  });

  it('picks a larger cell when it is the only partner, and the total when there is none', () => {
    const single = protectTable({ cells: [[7, 3]], rowTotals: true }, K);
    // 7 is then suppressed: both members hidden, the total 10 can be shown.
    expect(single.cells).toEqual([[null, null]]);
    expect(single.rowTotals).toEqual([10]);
    const lone = protectTable({ cells: [[3]], rowTotals: true }, K);
    expect(lone.cells).toEqual([[null]]);
    expect(lone.rowTotals).toEqual([null]);
  });

  it('two small cells in a row protect each other; no extra suppression', () => {
    const t = protectTable({ cells: [[2, 3, 30]], rowTotals: true }, K);
    expect(t.suppressed[0]).toEqual([true, true, false]);
    expect(t.rowTotals).toEqual([35]);
  });

  it('a small total is itself suppressed', () => {
    const t = protectTable({ cells: [[1, 2, 0]], rowTotals: true }, K);
    expect(t.rowTotals).toEqual([null]);
    expect(t.cells).toEqual([[null, null, 0]]);
  });

  it('secondary suppression propagates across rows and columns until no line has a single hidden cell', () => {
    const cells = [
      [3, 10, 12],
      [8, 9, 20],
      [15, 7, 30],
    ];
    const t = protectTable({ cells, rowTotals: true, columnTotals: true }, K);
    // Every line (row with its total, column with its total) must hide 0 or ≥ 2 cells.
    const grid = t.suppressed;
    for (const row of grid) expect(row.filter(Boolean).length).not.toBe(1);
    for (let c = 0; c < 3; c++) expect(grid.map((row) => row[c]).filter(Boolean).length).not.toBe(1);
    expect(t.cells[0][0]).toBeNull();
    // The margins stay visible and consistent with the unsuppressed data.
    expect(t.rowTotals).toEqual([25, 37, 52]);
    expect(t.columnTotals).toEqual([26, 26, 62]);
    expect(t.grandTotal).toBe(114);
  });

  it('the totals row is a line too: a suppressed column total gets a partner against the grand total', () => {
    const t = protectTable(
      {
        cells: [
          [3, 40],
          [0, 50],
        ],
        rowTotals: true,
        columnTotals: true,
      },
      K,
    );
    // Column 0 totals 3 (small): suppressed; then the totals row has one hidden cell → 90 hidden too.
    expect(t.columnTotals).toEqual([null, null]);
    expect(t.grandTotal).toBe(93);
    expect(t.cells[0][0]).toBeNull();
  });

  it('a share is suppressed when the denominator, the numerator or the complement is small', () => {
    expect(protectShare(6, 12, K)).toBeCloseTo(0.5);
    expect(protectShare(6, 10, K)).toBeNull(); // 4 without: complement small
    expect(protectShare(3, 10, K)).toBeNull(); // numerator small
    expect(protectShare(8, 10, K)).toBeNull(); // 2 without: complement small
    expect(protectShare(10, 10, K)).toBe(1); // complement 0 reveals nobody
    expect(protectShare(0, 10, K)).toBe(0);
    expect(protectShare(2, 4, K)).toBeNull(); // denominator small
    expect(protectShare(0, 0, K)).toBeNull();
    expect(shareSuppressed(0, 0, K)).toBe(false); // not applicable, not suppressed
    expect(shareSuppressed(8, 10, K)).toBe(true);
  });

  it('statistics of individuals need k of them', () => {
    expect(enoughIndividuals(4, K)).toBe(false);
    expect(enoughIndividuals(5, K)).toBe(true);
  });

  it('rejects malformed tables', () => {
    expect(() => protectTable({ cells: [[1, 2], [3]] }, K)).toThrow(RangeError);
    expect(() => protectTable({ cells: [[-1]] }, K)).toThrow(RangeError);
  });
});
