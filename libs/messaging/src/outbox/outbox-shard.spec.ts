import { OUTBOX_SHARD_COUNT, outboxShardOf } from './outbox-shard';

describe('outboxShardOf', () => {
  it('is stable for a key and within range', () => {
    expect(outboxShardOf('child-1')).toBe(outboxShardOf('child-1'));
    for (let i = 0; i < 1000; i++) {
      const shard = outboxShardOf(`subject-${i}`);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(OUTBOX_SHARD_COUNT);
    }
  });

  it('spreads keys over every shard', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(outboxShardOf(`subject-${i}`));
    expect(seen.size).toBe(OUTBOX_SHARD_COUNT);
  });

  it('matches FNV-1a 32-bit', () => {
    // FNV-1a("a") = 0xe40c292c
    expect(outboxShardOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
  });
});
