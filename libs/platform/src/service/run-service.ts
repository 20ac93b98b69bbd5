import { Logger } from '@nestjs/common';

/**
 * Error classes whose messages were written to be read at boot: they name variables, files and rules,
 * never values. Anything else is logged by class, its message only at LOG_LEVEL=debug — a driver or
 * library error may quote more than it should.
 */
const READABLE_BOOT_ERRORS = ['ConfigError', 'AuthError'];

export interface RunServiceOptions {
  /** Further error classes of this app whose messages are safe to print (e.g. the router's key errors). */
  readableErrors?: readonly string[];
}

/**
 * The one way an app's main.ts runs: start it, and on failure say why in one line (with what to do
 * next when the error knows it) and exit 1 so a supervisor sees the failure.
 */
export function runService(
  name: string,
  start: () => Promise<unknown>,
  options: RunServiceOptions = {},
): void {
  start().catch((error: unknown) => {
    const logger = new Logger(name);
    logger.error(`failed to start: ${describeBootError(error, options.readableErrors)}`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'verbose')
      logger.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

export function describeBootError(error: unknown, readableErrors: readonly string[] = []): string {
  if (!(error instanceof Error)) return `${typeof error} thrown (set LOG_LEVEL=debug to see it)`;
  if ([...READABLE_BOOT_ERRORS, ...readableErrors].includes(error.name))
    return `${error.name}: ${error.message}`;
  return `${error.name} (message withheld; set LOG_LEVEL=debug to see it)`;
}
