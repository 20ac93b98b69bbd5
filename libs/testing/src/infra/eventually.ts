import { inspect } from 'node:util';

export interface EventuallyOptions {
  /** What is being waited for, in words; it heads the failure message. */
  describe: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Extra state worth seeing when it fails (e.g. rows read so far); called once, on timeout. */
  dump?: () => unknown;
}

/**
 * Retries an async assertion until it passes and returns its value. On timeout it fails with what it
 * was waiting for, how often it tried, the last error and an optional dump, never a bare timeout.
 * A bounded wait for an asynchronous effect, not a timing assertion.
 */
export async function eventually<T>(fn: () => Promise<T> | T, options: EventuallyOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    try {
      return await fn();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started + intervalMs > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  let dump = '';
  if (options.dump) {
    try {
      dump = `\nstate at timeout: ${inspect(await options.dump(), { depth: 6, breakLength: 120 })}`;
    } catch (error) {
      dump = `\nstate at timeout: (dump failed: ${String(error)})`;
    }
  }
  const last = lastError instanceof Error ? (lastError.stack ?? lastError.message) : inspect(lastError);
  const failure = new Error(
    `eventually: gave up after ${Date.now() - started} ms and ${attempts} attempts waiting for: ${options.describe}\n` +
      `last error: ${last}${dump}`,
  );
  (failure as Error & { cause?: unknown }).cause = lastError;
  throw failure;
}
