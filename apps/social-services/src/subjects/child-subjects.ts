import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/**
 * The child's subject id, created on first use. Runs inside the caller's transaction; concurrent
 * first uses for the same child converge on one row (ON CONFLICT keeps the first).
 */
export async function subjectForChild(manager: EntityManager, personnummer: string): Promise<string> {
  const subjects = await subjectsForChildren(manager, [personnummer]);
  return subjects.get(personnummer) as string;
}

/**
 * subjectForChild for many children in one statement (the intake's batch handler), keyed by
 * personnummer. Rows are inserted in personnummer order, so two transactions creating overlapping
 * sets wait for each other instead of deadlocking. The known ones are read with `= ANY` (an index
 * scan); a join with the unnest made the planner hash-join a sequential scan of the whole table.
 */
export async function subjectsForChildren(
  manager: EntityManager,
  personnummers: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(personnummers)].sort();
  const rows: Array<{ personnummer: string; subject: string }> = await manager.query(
    `WITH wanted AS (
       SELECT * FROM unnest($1::text[], $2::uuid[]) AS w(personnummer, subject)
     ), inserted AS (
       INSERT INTO child_subjects (personnummer, subject)
       SELECT personnummer, subject FROM wanted ORDER BY personnummer
       ON CONFLICT (personnummer) DO NOTHING RETURNING personnummer, subject
     )
     SELECT personnummer, subject::text FROM inserted
     UNION ALL
     SELECT personnummer, subject::text FROM child_subjects WHERE personnummer = ANY($1::text[])`,
    [wanted, wanted.map(() => randomUUID())],
  );
  const subjects = new Map(rows.map((row) => [row.personnummer, row.subject]));
  const missing = wanted.filter((p) => !subjects.has(p));
  if (missing.length > 0) {
    // Concurrent transactions inserted these after this statement's snapshot: read them afresh.
    const again: Array<{ personnummer: string; subject: string }> = await manager.query(
      `SELECT personnummer, subject::text FROM child_subjects WHERE personnummer = ANY($1::text[])`,
      [missing],
    );
    for (const row of again) subjects.set(row.personnummer, row.subject);
  }
  return subjects;
}
