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
      const spec = TABLE_SPECS[op.table];
      const key = spec.key.map((k) => String(op.row[k])).join('\u0000');
      if (spec.key.some((k) => op.row[k] === undefined || op.row[k] === null)) continue;
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
      const { sql, parameters } = upsertStatement(this.schema, table, [...rows.values()]);
      await db.query(sql, parameters);
      written += rows.size;
    }
    this.rows.clear();
    this.size = 0;
    return written;
  }
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
  const sorted = [...rows].sort((a, b) => compareKeys(spec.key, a, b));
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
