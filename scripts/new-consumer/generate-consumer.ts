import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appFiles, type DeliveryMode } from './app-templates';
import { NewConsumerError, NewConsumerErrorCode, validateConsumerName } from './consumer-name';
import {
  addToConsumers,
  addToPolicyRegistry,
  CONSUMERS_FILE,
  policyFile,
  policyFileOf,
  POLICY_REGISTRY_FILE,
} from './declaration-edits';
import {
  addComposeService,
  addDatabase,
  addOperationsServiceUrl,
  addScramUser,
  COMPOSE_FILE,
  KAFKA_START_FILE,
  OPERATIONS_LOCAL_ENV,
  POSTGRES_INIT_FILE,
} from './deploy-edits';

/** The launcher's first app port (deploy/local/apps.ts): apps get ports in topology order from here. */
const FIRST_APP_PORT = 3001;

export interface GenerateOptions {
  /** Repository root to write into. */
  root: string;
  name: string;
  /** Names already taken (the topology's services). */
  existingServices: readonly string[];
  eventTypes: readonly string[];
  /** `webhook`: the app delivers its audience to a webhook subscriber instead of handling it; default `kafka`. */
  delivery?: DeliveryMode;
  /** Regenerate libs/contracts/schemas (AsyncAPI gains the audience) in a fresh process; default true. */
  regenerateSchemas?: boolean;
  migrationTimestamp?: number;
  /** Run prettier over the created files; default true. */
  format?: boolean;
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
  const delivery = options.delivery ?? 'kafka';
  // Edits are tried on the text first: a missing marker fails before any file is written.
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  addToConsumers(read(CONSUMERS_FILE), name);
  addToPolicyRegistry(read(POLICY_REGISTRY_FILE), name);
  addComposeService(read(COMPOSE_FILE), name, delivery);
  addScramUser(read(KAFKA_START_FILE), name);
  addDatabase(read(POSTGRES_INIT_FILE), name);

  write(policyFileOf(name), policyFile(name, options.eventTypes));
  edit(POLICY_REGISTRY_FILE, (s) => addToPolicyRegistry(s, name));
  edit(CONSUMERS_FILE, (s) => addToConsumers(s, name));
  // The images list every service (test/compose checks them against the topology).
  edit(COMPOSE_FILE, (s) => addComposeService(s, name, delivery));
  edit(KAFKA_START_FILE, (s) => addScramUser(s, name));
  edit(POSTGRES_INIT_FILE, (s) => addDatabase(s, name));
  // The new consumer comes last in the topology, so the launcher gives it the next port.
  if (existsSync(join(root, OPERATIONS_LOCAL_ENV))) {
    const port = FIRST_APP_PORT + options.existingServices.length;
    edit(OPERATIONS_LOCAL_ENV, (s) => addOperationsServiceUrl(s, name, port));
  }
  for (const [path, content] of appFiles(name, options.migrationTimestamp ?? Date.now(), delivery))
    write(path, content);

  if (options.format !== false) {
    // The templates are readable as written; prettier makes them the repository's style exactly.
    const prettier = spawnSync(
      process.execPath,
      [
        require.resolve('prettier/bin/prettier.cjs'),
        '--log-level',
        'warn',
        '--ignore-unknown',
        '--write',
        ...created,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    if (prettier.status !== 0)
      process.stderr.write(`prettier could not format the new files:\n${prettier.stderr}`);
  }

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
