/**
 * Jest global setup of the integration and e2e projects. Both projects may run in one jest invocation,
 * so this is reference-counted on the jest process' global: the first call provides the stack, later
 * calls reuse it, and the teardown stops it after the last project (and only what was started here).
 */
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../../../tsconfig.json';

// Jest resolves moduleNameMapper only inside test workers; this file runs in the parent process.
register({ baseUrl: resolve(__dirname, '..', '..', '..', '..'), paths: compilerOptions.paths });

import type { ProvidedStack } from './stack-provider';

interface SharedState {
  refs: number;
  stack: ProvidedStack;
}

const KEY = '__samverkanTestStack__';
type GlobalWithStack = typeof globalThis & { [KEY]?: SharedState };

export default async function globalSetup(): Promise<void> {
  const g = globalThis as GlobalWithStack;
  const existing = g[KEY];
  if (existing) {
    existing.refs += 1;
    return;
  }
  // Imported only after the path aliases are registered.
  const { provideStack } = await import('./stack-provider');
  const started = Date.now();
  const stack = await provideStack();
  g[KEY] = { refs: 1, stack };
  // Workers are forked after global setup and inherit this environment; loadStackInfo() reads it.
  process.env.SAMVERKAN_STACK_FILE = stack.stackFile;
  process.stderr.write(
    `[test-stack] ${stack.description}: Kafka ${stack.info.kafka.brokers.join(',')}, PostgreSQL ` +
      `${stack.info.postgres.host}:${stack.info.postgres.port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}

export async function releaseStack(): Promise<void> {
  const g = globalThis as GlobalWithStack;
  const state = g[KEY];
  if (!state) return;
  state.refs -= 1;
  if (state.refs > 0) return;
  delete g[KEY];
  if (process.env.SAMVERKAN_KEEP_STACK === '1') {
    process.stderr.write(
      '[test-stack] SAMVERKAN_KEEP_STACK=1: leaving the stack running (`npm start -- --stop` stops it)\n',
    );
    return;
  }
  await state.stack.stop();
}
