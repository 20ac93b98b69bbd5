import { createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

const MAX_ENTRIES = 50_000;

/**
 * Subject ids of children this process has filed concern reports for, for the hot path.
 *
 * A child's subject never changes once created (child_subjects keeps the first row), so a known
 * mapping can be kept in memory. It is keyed by an HMAC of the personnummer under a key drawn at
 * start and never stored: a heap dump shows neither personnummer nor a hash one could brute-force
 * (the personnummer space is small enough to enumerate).
 *
 * The cache is only a guess: the report's statement checks it against child_subjects (and creates the
 * row for a child seen for the first time) in the same round trip; see ConcernReportsService.file.
 */
@Injectable()
export class SubjectCache {
  private readonly known = new Map<string, string>();
  private readonly key = randomBytes(32);

  private keyOf(personnummer: string): string {
    return createHmac('sha256', this.key).update(personnummer).digest('base64');
  }

  /** The subject this process last saw for the child, if any. */
  get(personnummer: string): string | undefined {
    return this.known.get(this.keyOf(personnummer));
  }

  /** Records the child's subject as stored in child_subjects. */
  remember(personnummer: string, subject: string): void {
    const key = this.keyOf(personnummer);
    if (this.known.get(key) === subject) return;
    if (this.known.size >= MAX_ENTRIES) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, subject);
  }
}
