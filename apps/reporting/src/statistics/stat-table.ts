/** A cell of a statistics table: text keys, numbers, or null (suppressed or not applicable). */
export type StatValue = string | number | null;

export interface StatRow {
  [column: string]: StatValue | string[] | undefined;
  /** Columns withheld by the small-count protection (their value is null). */
  suppressed?: string[];
}

/** The shape every /statistics endpoint answers with (JSON as is; CSV from columns and rows). */
export interface StatTable {
  statistic: string;
  /** Minimum cell size in force: counts from 1 to k−1 are suppressed. */
  k: number;
  filters: Record<string, string>;
  columns: string[];
  rows: StatRow[];
  notes: string[];
}

/** Sets a value, or null with the column listed as suppressed. */
export function put(row: StatRow, column: string, value: number | null, suppressed: boolean): void {
  row[column] = suppressed ? null : value;
  if (suppressed) (row.suppressed ??= []).push(column);
}
