import { eventually } from './eventually';

describe('eventually', () => {
  it('returns the value once the assertion passes', async () => {
    let calls = 0;
    const value = await eventually(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`not yet (${calls})`);
        return 'done';
      },
      { describe: 'the third call', intervalMs: 1, timeoutMs: 5_000 },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('fails with what it waited for, the last error and the dump, not a bare timeout', async () => {
    const failure = await eventually(
      () => {
        throw new Error('row 42 missing');
      },
      { describe: 'the effect row for event 42', intervalMs: 5, timeoutMs: 30, dump: () => ({ rows: [41] }) },
    ).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toMatch(/waiting for: the effect row for event 42/);
    expect(failure.message).toMatch(/last error: Error: row 42 missing/);
    expect(failure.message).toMatch(/state at timeout: \{ rows: \[ 41 \] \}/);
  });
});
