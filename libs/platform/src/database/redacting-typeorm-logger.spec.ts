import { Logger } from '@nestjs/common';
import { describeQueryError, RedactingTypeOrmLogger, statementOf } from './redacting-typeorm-logger';

const PNR = '201501012386';

function pgError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), { name: 'QueryFailedError', ...fields });
}

describe('RedactingTypeOrmLogger', () => {
  it('logs the failed statement with SQLSTATE and constraint, never parameters, messages or details', () => {
    const lines: string[] = [];
    const spy = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation((m: unknown) => void lines.push(String(m)));
    try {
      new RedactingTypeOrmLogger().logQueryError(
        pgError(`duplicate key value violates unique constraint "uq_child" Key (personnummer)=(${PNR})`, {
          code: '23505',
          constraint: 'uq_child',
          detail: `Key (personnummer)=(${PNR}) already exists.`,
        }),
        `INSERT INTO "child_subjects" ("personnummer", "note") VALUES ($1, 'Anna Andersson ${PNR}')`,
        [PNR, 'Anna Andersson'],
      );
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(['query failed: INSERT child_subjects (SQLSTATE 23505, constraint uq_child)']);
    expect(lines.join('')).not.toContain(PNR);
    expect(lines.join('')).not.toContain('Anna');
  });

  it('names statements by verb and first table, literals never', () => {
    expect(statementOf(`SELECT id FROM concern_reports WHERE x = '${PNR}'`)).toBe('SELECT concern_reports');
    expect(statementOf('UPDATE "outbox" SET published_at = now()')).toBe('UPDATE outbox');
    expect(
      statementOf(
        `WITH claim AS (INSERT INTO idempotency_keys VALUES ($1)) INSERT INTO concern_reports SELECT 1`,
      ),
    ).toBe('INSERT idempotency_keys');
    expect(statementOf(`'${PNR}'`)).toBe('statement');
    expect(describeQueryError('connection terminated', 'COMMIT')).toBe('COMMIT (error)');
  });
});
