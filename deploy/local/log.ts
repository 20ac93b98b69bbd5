/** Progress lines of the launcher; the test setup passes its own to keep jest output readable. */
export type StackLogger = (line: string) => void;

export const consoleLogger: StackLogger = (line) => {
  process.stdout.write(`[stack] ${line}\n`);
};

/** Runs a step, printing its start and how long it took. */
export async function timed<T>(log: StackLogger, label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${label} ...`);
  const result = await fn();
  log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
