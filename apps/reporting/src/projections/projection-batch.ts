import {
  PROJECTION_TABLES,
  TABLE_SPECS,
  type ProjectionOp,
  type ProjectionRow,
  type ProjectionTable,
} from './projection-tables';

/** Anything that runs a parameterised query: a TypeORM EntityManager, a DataSource, a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Collects projection rows and writes them with one multi-row upsert per table
 * (`INSERT ... SELECT FROM unnest(...) ON CONFLICT ... DO UPDATE`). Rows for the same key are merged
 * in memory first with the same rules the upsert applies (an upsert may not touch a row twice), so a
 * Kafka batch of thousands of events costs five statements. Used by the live handlers (one event)
 * and by the rebuild (one Kafka batch).
 */
export class ProjectionBatch {
  private readonly rows = new Map<ProjectionTable, Map<string, ProjectionRow>>();
  private size = 0;

  constructor(private readonly schema = 'public') {}

  add(ops: readonly ProjectionOp[]): void {
    for (const op of ops) {
      const key = keyOf(TABLE_SPECS[op.table].key, op.row);
      if (key === undefined) continue;
      let table = this.rows.get(op.table);
      if (!table) this.rows.set(op.table, (table = new Map()));
      const current = table.get(key);
      if (!current) {
        table.set(key, { ...op.row });
        this.size++;
      } else {
        mergeInto(op.table, current, op.row);
      }
    }
  }

  get pendingRows(): number {
    return this.size;
  }

  /** Writes every collected row and empties the batch. Statement order is fixed (no deadlocks). */
  async flush(db: Queryable): Promise<number> {
    let written = 0;
    for (const table of PROJECTION_TABLES) {
      const rows = this.rows.get(table);
      if (!rows || rows.size === 0) continue;
      // Sorted by the key strings built in add(): the order upsertStatement would sort into, without
      // building them again for every comparison.
      const sorted = [...rows.entries()].sort(byKeyString).map((entry) => entry[1]);
      const { sql, parameters } = upsertStatement(this.schema, table, sorted, true);
      await db.query(sql, parameters);
      written += rows.size;
    }
    this.rows.clear();
    this.size = 0;
    return written;
  }
}

/** The row's key as one string (columns joined by NUL), or undefined when a key column is missing. */
function keyOf(key: readonly string[], row: ProjectionRow): string | undefined {
  if (key.length === 1) {
    const value = row[key[0]];
    return value === undefined || value === null ? undefined : String(value);
  }
  let joined = '';
  for (let i = 0; i < key.length; i++) {
    const value = row[key[i]];
    if (value === undefined || value === null) return undefined;
    joined = i === 0 ? String(value) : `${joined}\u0000${String(value)}`;
  }
  return joined;
}

// NUL sorts before every other character, so comparing joined keys compares column by column.
function byKeyString(a: [string, ProjectionRow], b: [string, ProjectionRow]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function mergeInto(table: ProjectionTable, current: ProjectionRow, next: ProjectionRow): void {
  for (const column of TABLE_SPECS[table].columns) {
    const value = next[column.name];
    if (value === undefined || value === null) continue;
    const stored = current[column.name];
    if (column.merge === 'least' && stored !== undefined && stored !== null) {
      if (Date.parse(String(value)) < Date.parse(String(stored))) current[column.name] = value;
    } else {
      current[column.name] = value;
    }
  }
}

/** The upsert for rows of one table; exported for tests. Identifiers are ours, never caller input. */
export function upsertStatement(
  schema: string,
  table: ProjectionTable,
  rows: readonly ProjectionRow[],
  /** The rows are already in key order (ProjectionBatch sorts by its key strings). */
  presorted = false,
): { sql: string; parameters: unknown[] } {
  const spec = TABLE_SPECS[table];
  const names = spec.columns.map((col) => col.name);
  const arrays = spec.columns.map((col) => `$${names.indexOf(col.name) + 1}::${arrayType(col.pgType)}`);
  const updates = spec.columns
    .filter((col) => !spec.key.includes(col.name))
    .map((col) =>
      col.merge === 'least'
        ? `${col.name} = LEAST(t.${col.name}, EXCLUDED.${col.name})`
        : `${col.name} = COALESCE(EXCLUDED.${col.name}, t.${col.name})`,
    );
  const sql =
    `INSERT INTO "${schema}"."${table}" AS t (${names.join(', ')}) ` +
    `SELECT * FROM unnest(${arrays.join(', ')}) ` +
    `ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  // Rows in key order: concurrent upserts (a rebuild flushes partitions in parallel) then lock
  // shared rows in the same order and cannot deadlock.
  const sorted = presorted ? rows : [...rows].sort((a, b) => compareKeys(spec.key, a, b));
  const parameters = spec.columns.map((col) => sorted.map((row) => row[col.name] ?? null));
  return { sql, parameters };
}

function compareKeys(key: readonly string[], a: ProjectionRow, b: ProjectionRow): number {
  for (const k of key) {
    const x = String(a[k]);
    const y = String(b[k]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function arrayType(pgType: string): string {
  // char(4)[] is written character(4)[]; the others take [] as they are.
  return pgType.startsWith('char(') ? `character${pgType.slice(4)}[]` : `${pgType}[]`;
}
