import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own error logging prints a failed query with its parameters, and drivers' messages quote
 * values ('invalid input syntax for type uuid: "…"', 'Key (…)=(…) already exists'): a personnummer or a
 * description can end up in the log that way. This logger says which statement failed and the database's
 * error code and constraint — enough to act on — and never parameters, messages or details.
 */
export class RedactingTypeOrmLogger implements TypeOrmLogger {
  private readonly logger: NestLogger;

  constructor(context = 'Database') {
    this.logger = new NestLogger(context);
  }

  /** `parameters` is accepted and never read. */
  logQueryError(error: string | Error, query: string, _parameters?: unknown[]): void {
    this.logger.error(`query failed: ${describeQueryError(error, query)}`);
  }

  logMigration(message: string): void {
    // Migration names and progress only (TypeORM writes them itself, no data).
    this.logger.log(message);
  }

  logQuery(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${statementOf(query)}`);
  }

  logSchemaBuild(): void {}

  log(level: 'log' | 'info' | 'warn'): void {
    // TypeORM's own notices can quote values too; say only that one occurred.
    if (level === 'warn') this.logger.warn('TypeORM warning (details withheld)');
  }
}

/** `INSERT INTO concern_reports (SQLSTATE 23505, constraint uq_…)`: statement and codes, no values. */
export function describeQueryError(error: string | Error, query: string): string {
  const e = (typeof error === 'string' ? {} : error) as {
    code?: unknown;
    constraint?: unknown;
    name?: unknown;
  };
  const parts = [
    typeof e.code === 'string' ? `SQLSTATE ${e.code}` : typeof e.name === 'string' ? e.name : 'error',
  ];
  if (typeof e.constraint === 'string') parts.push(`constraint ${e.constraint}`);
  return `${statementOf(query)} (${parts.join(', ')})`;
}

/** The statement's verb and the first table it names, e.g. "INSERT INTO outbox" — never literals. */
export function statementOf(query: string): string {
  const sql = query
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\s+/g, ' ')
    .trim();
  const verb =
    /^(?:WITH\b.*?\)\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP|START|COMMIT|ROLLBACK|LOCK)\b/i.exec(
      sql,
    )?.[1];
  const table = /\b(?:FROM|INTO|UPDATE|TABLE|JOIN)\s+("?[A-Za-z_][\w.]*"?)/i.exec(sql)?.[1];
  return [verb?.toUpperCase() ?? 'statement', table ? table.replace(/"/g, '') : undefined]
    .filter(Boolean)
    .join(' ');
}
