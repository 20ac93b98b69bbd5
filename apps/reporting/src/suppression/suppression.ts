/**
 * Small-count protection (pure). Statistics must not let anyone identify a child, so:
 *
 * - primary suppression: a count from 1 to k−1 is never shown (0 is shown: it identifies nobody);
 * - secondary suppression: in a row or column whose total is shown, a single suppressed cell could be
 *   recovered as total − the other cells, so one more cell of that line is suppressed too (the
 *   smallest non-zero shown cell, else the smallest zero cell, else the total itself). Margins are
 *   lines too (the totals row against the grand total). Repeated until nothing changes, because a
 *   cell suppressed for a row can leave its column with a single suppressed cell;
 * - a share n/d reveals n and d−n when d is shown, so it is suppressed when d, n or d−n is small;
 * - a median (or any statistic of individuals) needs at least k individuals;
 * - a cohort with fewer than k children is refused outright (the caller maps it to an error code).
 */

export const DEFAULT_MIN_CELL_SIZE = 5;

export function isSmallCount(n: number, k: number): boolean {
  return n >= 1 && n < k;
}

export interface TableSpec {
  /** cells[row][column]: counts of individuals (non-negative integers). */
  cells: number[][];
  /** Show a total per row (the sum of its cells). */
  rowTotals?: boolean;
  /** Show a total per column, and with rowTotals the grand total. */
  columnTotals?: boolean;
}

export interface ProtectedTable {
  /** null where suppressed. */
  cells: (number | null)[][];
  rowTotals?: (number | null)[];
  columnTotals?: (number | null)[];
  grandTotal?: number | null;
  /** Same shape as cells: true where suppressed. */
  suppressed: boolean[][];
  rowTotalSuppressed?: boolean[];
  columnTotalSuppressed?: boolean[];
  grandTotalSuppressed?: boolean;
}

interface Slot {
  value: number;
  suppressed: boolean;
}

/** Primary and secondary suppression of a count table with optional margins. */
export function protectTable(spec: TableSpec, k: number): ProtectedTable {
  assertK(k);
  const rows = spec.cells.length;
  const cols = rows > 0 ? spec.cells[0].length : 0;
  for (const row of spec.cells) {
    if (row.length !== cols) throw new RangeError('every row of a table needs the same number of cells');
    for (const v of row)
      if (!Number.isInteger(v) || v < 0) throw new RangeError('counts are non-negative integers');
  }
  // The full grid, margins included: row `rows` is the column totals, column `cols` the row totals.
  const withRowTotals = spec.rowTotals === true;
  const withColumnTotals = spec.columnTotals === true;
  const grid: Slot[][] = spec.cells.map((row) => row.map((value) => slot(value, k)));
  if (withRowTotals) grid.forEach((row, r) => row.push(slot(sum(spec.cells[r]), k)));
  if (withColumnTotals) {
    const totals = Array.from({ length: cols }, (_, c) => sum(spec.cells.map((row) => row[c])));
    const totalRow = totals.map((value) => slot(value, k));
    if (withRowTotals) totalRow.push(slot(sum(totals), k));
    grid.push(totalRow);
  }

  // Lines: [member slots, total slot]. A line's total is the last element of the row/column.
  const lines: Array<{ members: Slot[]; total: Slot }> = [];
  if (withRowTotals) {
    for (const row of grid) lines.push({ members: row.slice(0, cols), total: row[cols] });
  }
  if (withColumnTotals) {
    const lastColumn = withRowTotals ? cols + 1 : cols;
    for (let c = 0; c < lastColumn; c++) {
      lines.push({ members: grid.slice(0, rows).map((row) => row[c]), total: grid[rows][c] });
    }
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (line.total.suppressed) continue;
      const hidden = line.members.filter((s) => s.suppressed).length;
      if (hidden !== 1) continue;
      const candidate = pickComplement(line.members);
      (candidate ?? line.total).suppressed = true;
      changed = true;
    }
  }

  const out: ProtectedTable = {
    cells: grid.slice(0, rows).map((row) => row.slice(0, cols).map(shown)),
    suppressed: grid.slice(0, rows).map((row) => row.slice(0, cols).map((s) => s.suppressed)),
  };
  if (withRowTotals) {
    out.rowTotals = grid.slice(0, rows).map((row) => shown(row[cols]));
    out.rowTotalSuppressed = grid.slice(0, rows).map((row) => row[cols].suppressed);
  }
  if (withColumnTotals) {
    out.columnTotals = grid[rows].slice(0, cols).map(shown);
    out.columnTotalSuppressed = grid[rows].slice(0, cols).map((s) => s.suppressed);
    if (withRowTotals) {
      out.grandTotal = shown(grid[rows][cols]);
      out.grandTotalSuppressed = grid[rows][cols].suppressed;
    }
  }
  return out;
}

/** A count on its own (no margin to derive it from): primary suppression only. */
export function protectCount(n: number, k: number): number | null {
  assertK(k);
  return isSmallCount(n, k) ? null : n;
}

/**
 * numerator ÷ denominator, or null when either count or the complement is small (a shown share and
 * denominator give both away), or when there is nothing to divide (denominator 0: not applicable).
 */
export function protectShare(numerator: number, denominator: number, k: number): number | null {
  assertK(k);
  if (denominator <= 0) return null;
  if (
    isSmallCount(denominator, k) ||
    isSmallCount(numerator, k) ||
    isSmallCount(denominator - numerator, k)
  ) {
    return null;
  }
  return numerator / denominator;
}

/** Whether protectShare would withhold the share for privacy (not merely for a zero denominator). */
export function shareSuppressed(numerator: number, denominator: number, k: number): boolean {
  return denominator > 0 && protectShare(numerator, denominator, k) === null;
}

/** A statistic of individuals (median, mean) needs at least k of them. */
export function enoughIndividuals(n: number, k: number): boolean {
  assertK(k);
  return n >= k;
}

function pickComplement(members: Slot[]): Slot | undefined {
  const open = members.filter((s) => !s.suppressed);
  const nonZero = open.filter((s) => s.value > 0).sort((a, b) => a.value - b.value);
  if (nonZero.length > 0) return nonZero[0];
  return open.sort((a, b) => a.value - b.value)[0];
}

function slot(value: number, k: number): Slot {
  return { value, suppressed: isSmallCount(value, k) };
}

function shown(s: Slot): number | null {
  return s.suppressed ? null : s.value;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError('the minimum cell size k must be a positive integer');
}
