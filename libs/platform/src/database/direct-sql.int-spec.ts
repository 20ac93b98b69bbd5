import { createScratchDatabase, dropScratchDatabase } from '@samverkan/testing';
import { DataSource } from 'typeorm';
import { DirectSql } from './direct-sql';

jest.setTimeout(60_000);

// A join with the unnest: planned on a small table, a hash join over a scan of the whole table.
const LOOKUP =
  'WITH wanted AS (SELECT * FROM unnest($1::text[]) AS w (k)) SELECT v FROM lookup WHERE k IN (SELECT k FROM wanted)';

describe('DirectSql prepared statements (real PostgreSQL)', () => {
  let url: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    url = await createScratchDatabase('direct_sql');
    // One connection, so that every call below meets the same session and its prepared statements.
    dataSource = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE lookup (k text PRIMARY KEY, v text NOT NULL)');
    await dataSource.query(`INSERT INTO lookup SELECT 'k' || g, 'v' || g FROM generate_series(1, 20) g`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (url) await dropScratchDatabase(url);
  });

  it('prepares a named statement anew after replanAfterMs, freeing the old one, so its plan follows the table', async () => {
    const db = new DirectSql(dataSource, { replanAfterMs: 500 });
    const session = () =>
      db.connection(async (query) => ({
        prepared: (
          await query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name', [])
        ).map((row) => row.name),
        plan: (
          await query<{ 'QUERY PLAN': string }>(
            // The plan the prepared statement runs with (generic, as after its fifth run).
            `EXPLAIN EXECUTE "${(await query<{ name: string }>('SELECT name FROM pg_prepared_statements', []))[0].name}"('{k1,k2}')`,
            [],
          )
        )
          .map((row) => row['QUERY PLAN'])
          .join('\n'),
      }));
    await db.connection((query) => query('SET plan_cache_mode = force_generic_plan', []));

    const run = () => db.connection((query) => query<{ v: string }>(LOOKUP, [['k1', 'k2']], 'lookup'));
    expect((await run()).map((row) => row.v).sort()).toEqual(['v1', 'v2']);
    const first = await session();
    expect(first.prepared).toHaveLength(1);
    // Planned while the table had 20 rows: a sequential scan.
    expect(first.plan).toContain('Seq Scan on lookup');

    await dataSource.query(`INSERT INTO lookup SELECT 'k' || g, 'v' || g FROM generate_series(21, 50000) g`);
    await run();
    // Within replanAfterMs the statement keeps its plan, grown table or not.
    expect((await session()).plan).toContain('Seq Scan on lookup');

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await run()).map((row) => row.v).sort()).toEqual(['v1', 'v2']);
    const later = await session();
    // A new name, the old one deallocated, and a plan for the table as it is now.
    expect(later.prepared).toHaveLength(1);
    expect(later.prepared).not.toEqual(first.prepared);
    expect(later.plan).not.toContain('Seq Scan on lookup');
    expect(later.plan).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
  });
});
