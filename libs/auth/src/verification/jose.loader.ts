import type * as Jose from 'jose';

export type JoseModule = typeof Jose;

let loading: Promise<JoseModule> | undefined;

/**
 * jose 6 ships ES modules only. Node ≥ 20.19 require()s them natively, but Jest 29's module system
 * cannot without a transform (see the jose entry in jest.config.ts). Loading it on first use keeps
 * `import { Public, Roles } from '@samverkan/auth'` free of jose, so controllers and their unit tests
 * never pull it in; only code that signs or verifies a token does.
 */
export function loadJose(): Promise<JoseModule> {
  loading ??= import('jose');
  return loading;
}
