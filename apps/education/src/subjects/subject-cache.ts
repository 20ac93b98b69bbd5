import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DirectSql, type SqlQuery } from '../common/direct-sql';
import { SUBJECT_FOR_CHILD_SQL } from './child-subjects';

const MAX_ENTRIES = 50_000;

/**
 * The child's subject id for the concern-report hot path, created on first use.
 *
 * A child's subject never changes once created (child_subjects keeps the first row), so a known
 * mapping is kept in memory, keyed by a hash of the personnummer, not the personnummer itself. A
 * child seen for the first time costs one autocommitted upsert before the report's statement: the
 * subject row may then exist without the report (if that statement fails), which is what the next
 * report, consent or absence flag for the child would create anyway.
 */
@Injectable()
export class SubjectCache {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: DirectSql) {}

  async subjectFor(
    personnummer: string,
    query: SqlQuery = (sql, params) => this.db.query(sql, params),
  ): Promise<string> {
    const key = createHash('sha256').update(personnummer).digest('base64');
    const cached = this.known.get(key);
    if (cached !== undefined) return cached;
    const rows = await query<{ subject: string }>(SUBJECT_FOR_CHILD_SQL, [personnummer, randomUUID()]);
    // Empty only when a concurrent first use inserted after this statement's snapshot: read again.
    const subject =
      rows[0]?.subject ??
      (
        await query<{ subject: string }>('SELECT subject FROM child_subjects WHERE personnummer = $1', [
          personnummer,
        ])
      )[0].subject;
    if (this.known.size >= MAX_ENTRIES) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, subject);
    return subject;
  }
}
