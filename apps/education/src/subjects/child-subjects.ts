import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Inserts the child's subject row unless there is one; returns the subject (no row: see below). */
export const SUBJECT_FOR_CHILD_SQL = `WITH inserted AS (
       INSERT INTO child_subjects (personnummer, subject) VALUES ($1, $2)
       ON CONFLICT (personnummer) DO NOTHING RETURNING subject
     )
     SELECT subject FROM inserted UNION ALL SELECT subject FROM child_subjects WHERE personnummer = $1`;

/**
 * The child's subject id, created on first use, inside the caller's transaction. Concurrent first
 * uses for the same child converge on one row (ON CONFLICT keeps the first).
 */
export async function subjectForChild(manager: EntityManager, personnummer: string): Promise<string> {
  const rows: Array<{ subject: string }> = await manager.query(SUBJECT_FOR_CHILD_SQL, [
    personnummer,
    randomUUID(),
  ]);
  if (rows[0]) return rows[0].subject;
  // A concurrent transaction inserted the row after this statement's snapshot: read it afresh.
  const again: Array<{ subject: string }> = await manager.query(
    `SELECT subject FROM child_subjects WHERE personnummer = $1`,
    [personnummer],
  );
  return again[0].subject;
}

/** The subject id of a child education already knows, without creating one. */
export async function existingSubjectForChild(
  manager: EntityManager,
  personnummer: string,
): Promise<string | undefined> {
  const rows: Array<{ subject: string }> = await manager.query(
    `SELECT subject FROM child_subjects WHERE personnummer = $1`,
    [personnummer],
  );
  return rows[0]?.subject;
}
