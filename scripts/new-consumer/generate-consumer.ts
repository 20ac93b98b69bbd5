import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appFiles } from './app-templates';
import { NewConsumerError, NewConsumerErrorCode, validateConsumerName } from './consumer-name';
import {
  addToConsumers,
  addToPolicyRegistry,
  CONSUMERS_FILE,
  policyFile,
  policyFileOf,
  POLICY_REGISTRY_FILE,
} from './declaration-edits';

export interface GenerateOptions {
  /** Repository root to write into. */
  root: string;
  name: string;
  /** Names already taken (the topology's services). */
  existingServices: readonly string[];
  eventTypes: readonly string[];
  /** Regenerate libs/contracts/schemas (AsyncAPI gains the audience) in a fresh process; default true. */
  regenerateSchemas?: boolean;
  migrationTimestamp?: number;
}

export interface GenerateResult {
  created: string[];
  edited: string[];
}

/** Refuses a name that is already a service, an app folder or a policy column; never overwrites. */
export function assertNameFree(root: string, name: string, existingServices: readonly string[]): void {
  validateConsumerName(name);
  const taken = [
    existingServices.includes(name) && 'a service in the topology',
    existsSync(join(root, 'apps', name)) && `an app folder (apps/${name})`,
    existsSync(join(root, policyFileOf(name))) && `a policy column (${policyFileOf(name)})`,
  ].filter(Boolean);
  if (taken.length > 0) {
    throw new NewConsumerError(
      NewConsumerErrorCode.NAME_TAKEN,
      `"${name}" is already ${taken.join(' and ')}`,
    );
  }
}

export function generateConsumer(options: GenerateOptions): GenerateResult {
  const { root, name } = options;
  assertNameFree(root, name, options.existingServices);
  const created: string[] = [];
  const edited: string[] = [];
  const write = (path: string, content: string) => {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    created.push(path);
  };
  const edit = (path: string, change: (source: string) => string) => {
    const target = join(root, path);
    const before = readFileSync(target, 'utf8');
    const after = change(before);
    if (after !== before) {
      writeFileSync(target, after);
      edited.push(path);
    }
  };
  // Declarations first: they fail on a missing marker before any app file exists.
  const consumers = readFileSync(join(root, CONSUMERS_FILE), 'utf8');
  const registry = readFileSync(join(root, POLICY_REGISTRY_FILE), 'utf8');
  addToConsumers(consumers, name);
  addToPolicyRegistry(registry, name);

  write(policyFileOf(name), policyFile(name, options.eventTypes));
  edit(POLICY_REGISTRY_FILE, (s) => addToPolicyRegistry(s, name));
  edit(CONSUMERS_FILE, (s) => addToConsumers(s, name));
  for (const [path, content] of appFiles(name, options.migrationTimestamp ?? Date.now()))
    write(path, content);

  if (options.regenerateSchemas !== false) {
    const result = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'libs/contracts/scripts/generate-schemas.ts',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
    );
    if (result.status !== 0) {
      throw new NewConsumerError(
        NewConsumerErrorCode.SCHEMAS_FAILED,
        `the app was generated, but regenerating libs/contracts/schemas failed; run \`npm run schemas:generate\`:\n${result.stderr}`,
      );
    }
    edited.push('libs/contracts/schemas/asyncapi.yaml (regenerated)');
  }
  return { created, edited };
}
