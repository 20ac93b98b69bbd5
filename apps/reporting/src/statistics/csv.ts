import type { StatTable } from './stat-table';

/** How a suppressed cell is written in CSV (the Swedish official-statistics convention). */
export const CSV_SUPPRESSED = '..';

/**
 * RFC 4180 CSV of a statistics table: a header of its columns, one line per row, CRLF line ends.
 * Suppressed cells are written `..`; a cell that does not apply (a share of nothing) is empty.
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
export function toCsv(table: StatTable): string {
  const lines = [table.columns.map(field).join(',')];
  for (const row of table.rows) {
    const suppressed = new Set(row.suppressed ?? []);
    lines.push(
      table.columns
        .map((column) => {
          if (suppressed.has(column)) return CSV_SUPPRESSED;
          const value = row[column];
          if (value === null || value === undefined) return '';
          return field(Array.isArray(value) ? value.join(' ') : value);
        })
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

function field(value: string | number): string {
  let text = typeof value === 'number' ? formatNumber(value) : value;
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000);
}
