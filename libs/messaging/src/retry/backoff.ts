export interface RetryPolicy {
  /** Total attempts including the first one (1 = no retry). */
  attempts: number;
  /** Backoff base in milliseconds: attempt n waits up to base * 2^(n-1). */
  baseMs: number;
  /** Upper bound of any single wait. */
  capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseMs: 200, capMs: 10_000 };

/**
 * "Full jitter" exponential backoff (AWS architecture blog): a uniformly random wait in
 * [0, min(cap, base * 2^(attempt-1))]. The randomness spreads retries of many consumers hitting the
 * same failing dependency instead of having them retry in lockstep.
 *
 * @param attempt the attempt that just failed, starting at 1
 * @param random injectable for tests; returns a number in [0, 1)
 */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer >= 1');
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1)
    throw new RangeError('retry.attempts must be an integer >= 1');
  if (!(policy.baseMs >= 0) || !(policy.capMs >= 0))
    throw new RangeError('retry.baseMs and retry.capMs must be >= 0');
  return policy;
}
