import { GroupCommit } from './group-commit';

/** A write whose statements the test finishes by hand. */
function controlledWrite<I>() {
  const calls: { items: readonly I[]; finish: (outcomes?: unknown[]) => void; fail: (e: Error) => void }[] =
    [];
  const write = (items: readonly I[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        items,
        finish: (outcomes) => resolve((outcomes as string[]) ?? items.map((item) => `ok:${String(item)}`)),
        fail: reject,
      });
    });
  return { calls, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes an item at once while a slot is free, and what queued meanwhile as one batch', async () => {
    const { calls, write } = controlledWrite<number>();
    const group = new GroupCommit<number, string>({ maxInFlight: 1, maxBatch: 10, write });
    const first = group.submit(1);
    const rest = [2, 3, 4].map((n) => group.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    expect(group.queued).toBe(3);

    calls[0].finish();
    await expect(first).resolves.toBe('ok:1');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1].finish();
    await expect(Promise.all(rest)).resolves.toEqual(['ok:2', 'ok:3', 'ok:4']);
  });

  it('keeps at most maxInFlight statements running and at most maxBatch items in one', async () => {
    const { calls, write } = controlledWrite<number>();
    const group = new GroupCommit<number, string>({ maxInFlight: 2, maxBatch: 2, write });
    const all = [1, 2, 3, 4, 5, 6, 7].map((n) => group.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[0].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[1].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    calls[2].finish();
    calls[3].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
    calls[4].finish();
    await expect(Promise.all(all)).resolves.toHaveLength(7);
  });

  it('never puts two items with a shared key into one batch, and keeps the order of the others', async () => {
    const { calls, write } = controlledWrite<string>();
    const group = new GroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      write,
      keysOf: (item) => [item.split(':')[0]],
    });
    const all = ['a:1', 'a:2', 'b:1', 'a:3', 'c:1', 'b:2'].map((item) => group.submit(item));
    calls[0].finish();
    await tick();
    expect(calls[1].items).toEqual(['a:2', 'b:1', 'c:1']);
    calls[1].finish();
    await tick();
    expect(calls[2].items).toEqual(['a:3', 'b:2']);
    calls[2].finish();
    await expect(Promise.all(all)).resolves.toHaveLength(6);
  });

  it('when a batch fails, writes each item alone, so only the one that fails alone gets the error', async () => {
    const written: string[][] = [];
    const group = new GroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      write: async (items) => {
        written.push([...items]);
        if (items.includes('bad')) throw new Error('value too long');
        return items.map((item) => `ok:${item}`);
      },
    });
    const blocker = group.submit('first');
    const results = ['x', 'bad', 'y'].map((item) =>
      group.submit(item).then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    await blocker;
    expect(await Promise.all(results)).toEqual([
      { value: 'ok:x' },
      { error: 'value too long' },
      { value: 'ok:y' },
    ]);
    expect(written).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
  });

  it('tells the observer of every statement: its items, its time, whether it failed', async () => {
    const seen: Array<{ items: number; failed: boolean }> = [];
    const group = new GroupCommit<string, string>({
      maxInFlight: 1,
      maxBatch: 10,
      write: async (items) => {
        if (items.includes('bad')) throw new Error('no');
        return items.map((item) => item);
      },
      observe: ({ items, seconds, failed }) => {
        expect(seconds).toBeGreaterThanOrEqual(0);
        seen.push({ items, failed });
      },
    });
    const first = group.submit('a');
    const rest = [group.submit('b'), group.submit('bad').catch(() => 'rejected')];
    await Promise.all([first, ...rest]);
    expect(seen).toEqual([
      { items: 1, failed: false },
      { items: 2, failed: true },
      { items: 1, failed: false },
      { items: 1, failed: true },
    ]);
  });

  it('refuses a write that answers for the wrong number of items', async () => {
    const group = new GroupCommit<number, string>({ maxInFlight: 1, maxBatch: 10, write: async () => [] });
    await expect(group.submit(1)).rejects.toThrow('answered 0 outcomes for 1 items');
  });

  it('refuses a setting below 1', () => {
    expect(() => new GroupCommit({ maxInFlight: 0, maxBatch: 1, write: async () => [] })).toThrow(
      'at least 1',
    );
  });
});
