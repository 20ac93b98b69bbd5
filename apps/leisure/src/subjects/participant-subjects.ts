import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The participant's subject id, created on first use inside the caller's transaction. */
export async function subjectForPerson(manager: EntityManager, personnummer: string): Promise<string> {
  const rows: Array<{ subject: string }> = await manager.query(
    `WITH inserted AS (
       INSERT INTO participant_subjects (personnummer, subject) VALUES ($1, $2)
       ON CONFLICT (personnummer) DO NOTHING RETURNING subject
     )
     SELECT subject FROM inserted UNION ALL SELECT subject FROM participant_subjects WHERE personnummer = $1`,
    [personnummer, randomUUID()],
  );
  if (rows[0]) return rows[0].subject;
  // A concurrent transaction inserted the row after this statement's snapshot: read it afresh.
  const again: Array<{ subject: string }> = await manager.query(
    `SELECT subject FROM participant_subjects WHERE personnummer = $1`,
    [personnummer],
  );
  return again[0].subject;
}
