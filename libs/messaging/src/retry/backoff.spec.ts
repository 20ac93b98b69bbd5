import { backoffDelayMs, validateRetryPolicy, type RetryPolicy } from './backoff';

describe('backoffDelayMs (exponential, full jitter)', () => {
  const policy: RetryPolicy = { attempts: 6, baseMs: 100, capMs: 1_000 };

  it('grows the ceiling exponentially from the base', () => {
    const almostOne = () => 0.999999;
    expect(backoffDelayMs(1, policy, almostOne)).toBe(99);
    expect(backoffDelayMs(2, policy, almostOne)).toBe(199);
    expect(backoffDelayMs(3, policy, almostOne)).toBe(399);
    expect(backoffDelayMs(4, policy, almostOne)).toBe(799);
  });

  it('never exceeds the cap, even for huge attempt numbers', () => {
    expect(backoffDelayMs(5, policy, () => 0.999999)).toBe(999);
    expect(backoffDelayMs(10_000, policy, () => 0.999999)).toBe(999);
  });

  it('is uniformly jittered down to zero', () => {
    expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(4, policy, () => 0.5)).toBe(400);
  });

  it('stays within [0, min(cap, base*2^(n-1))) with the real random source', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelayMs(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(1_000, 100 * 2 ** (attempt - 1)));
      }
    }
  });

  it('rejects attempt numbers below 1 and invalid policies', () => {
    expect(() => backoffDelayMs(0, policy)).toThrow(RangeError);
    expect(() => backoffDelayMs(1.5, policy)).toThrow(RangeError);
    expect(() => validateRetryPolicy({ attempts: 0, baseMs: 1, capMs: 1 })).toThrow(RangeError);
    expect(() => validateRetryPolicy({ attempts: 3, baseMs: -1, capMs: 1 })).toThrow(RangeError);
    expect(validateRetryPolicy(policy)).toBe(policy);
  });
});
