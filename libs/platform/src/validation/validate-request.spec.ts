import { IsInt, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { validateRequest } from './validate-request';

class Query {
  @Type(() => Number)
  @IsInt({ message: 'n must be an integer' })
  @Min(1, { message: 'n must be at least 1' })
  n: number;
}

describe('validateRequest', () => {
  it('returns the transformed value', async () => {
    expect(await validateRequest(Query, { n: '3' }, 'query')).toEqual({ ok: true, value: { n: 3 } });
  });

  it('returns one error per field, and rejects unknown properties', async () => {
    const outcome = await validateRequest(Query, { n: 0, extra: 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? [] : outcome.fields).toEqual(
      expect.arrayContaining([
        { field: 'n', message: 'n must be at least 1' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
    expect(outcome.ok ? [] : outcome.fields).toHaveLength(2);
  });
});
