import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EVENT_TYPES } from '@samverkan/contracts';
import { loadStackInfo } from '@samverkan/testing';
import { removeConsumerFromStack } from './support/remove-consumer';

jest.setTimeout(20 * 60_000);

const REPO = resolve(__dirname, '..', '..');
const LOCAL_DIR = process.env.SAMVERKAN_LOCAL_DIR ?? join(REPO, '.local');

interface Ran {
  code: number | null;
  output: string;
}

function runIn(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 10 * 60_000,
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const tsNode = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
const tail = (text: string, n = 60) => text.split('\n').slice(-n).join('\n');

/** The working tree's tracked files, copied as they are now (what CI would check out), plus node_modules. */
async function copyRepository(target: string): Promise<void> {
  const listed = await runIn(REPO, 'git', ['ls-files', '-z']);
  if (listed.code !== 0) throw new Error(`git ls-files failed: ${listed.output}`);
  for (const file of listed.output.split('\0').filter(Boolean)) {
    const from = join(REPO, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(from, join(target, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(target, 'node_modules'), 'dir');
}

// The generator's promise: a generated consumer passes its own tests untouched, in both modes (its
// own handlers, and --webhook). In a copy of the repository: generate one of each, typecheck, check
// the compose file and seed scripts, tell the running stack about the new principals and topics (the
// launcher's own startStack with the copy's topology), then run the generated tests there.
describe('npm run new:consumer, end to end', () => {
  const suffix = randomBytes(3).toString('hex');
  const name = `gen-${suffix}`;
  const webhookName = `genw-${suffix}`;
  let copy: string;
  let provisioned = false;

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'samverkan-new-consumer-'));
    await copyRepository(copy);
  });

  afterAll(async () => {
    if (provisioned) {
      for (const consumer of [name, webhookName]) {
        const failures = await removeConsumerFromStack(loadStackInfo(), LOCAL_DIR, consumer);
        if (failures.length > 0)
          process.stderr.write(`[new-consumer] cleanup of ${consumer}: ${failures.join('; ')}\n`);
      }
    }
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('scaffolds the app, its topology entry and a policy column that withholds every event', async () => {
    const generated = await runIn(copy, process.execPath, [
      ...tsNode,
      'scripts/new-consumer/new-consumer.ts',
      name,
    ]);
    expect({ code: generated.code, output: tail(generated.output) }).toMatchObject({ code: 0 });
    for (const file of ['src/main.ts', `src/${name}.module.ts`, `test/${name}.e2e-spec.ts`, 'README.md']) {
      expect(existsSync(join(copy, 'apps', name, file))).toBe(true);
    }
    expect(readFileSync(join(copy, 'libs/contracts/src/topology/consumers.ts'), 'utf8')).toContain(
      `'${name}',`,
    );
    const column = readFileSync(join(copy, `libs/contracts/src/policy/audiences/${name}.policy.ts`), 'utf8');
    expect(column.match(/: noRuleYet,/g)).toHaveLength(EVENT_TYPES.length);
    expect(readFileSync(join(copy, 'libs/contracts/schemas/asyncapi.yaml'), 'utf8')).toContain(
      `address: samverkan.audience.${name}`,
    );

    const again = await runIn(copy, process.execPath, [
      ...tsNode,
      'scripts/new-consumer/new-consumer.ts',
      name,
    ]);
    expect(again.code).toBe(1);
    expect(again.output).toContain('NEW_CONSUMER_NAME_TAKEN');
  });

  it('scaffolds a webhook consumer: no handlers, delivery through @samverkan/webhooks, dev settings in local.env', async () => {
    const generated = await runIn(copy, process.execPath, [
      ...tsNode,
      'scripts/new-consumer/new-consumer.ts',
      webhookName,
      '--webhook',
    ]);
    expect({ code: generated.code, output: tail(generated.output) }).toMatchObject({ code: 0 });
    const app = join(copy, 'apps', webhookName);
    for (const file of [
      'src/main.ts',
      'local.env',
      `test/${webhookName}.e2e-spec.ts`,
      'test/migrations-drift.int-spec.ts',
    ]) {
      expect(existsSync(join(app, file))).toBe(true);
    }
    expect(existsSync(join(app, 'src', 'courses'))).toBe(false);
    expect(readFileSync(join(app, `src/${webhookName}.module.ts`), 'utf8')).toContain(
      'WebhookDeliveryModule',
    );
    expect(readFileSync(join(copy, 'docker-compose.yml'), 'utf8')).toContain(`APP: ${webhookName}`);
  });

  it('typechecks: the app and the contracts with the new audience (policy exhaustiveness included)', async () => {
    writeFileSync(
      join(copy, 'tsconfig.generated.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        include: [`apps/${name}/**/*.ts`, `apps/${webhookName}/**/*.ts`, 'libs/contracts/src/**/*.ts'],
      }),
    );
    const tsc = await runIn(copy, process.execPath, [
      join(REPO, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.generated.json',
      '--noEmit',
    ]);
    expect({ code: tsc.code, output: tail(tsc.output) }).toEqual({ code: 0, output: '' });
  });

  it('keeps docker-compose.yml, the seed scripts and the launcher in step (their tests pass in the copy)', async () => {
    const jest = await runIn(copy, process.execPath, [
      join(REPO, 'node_modules/jest/bin/jest.js'),
      '--config',
      'jest.config.ts',
      'test/compose',
      'test/launcher',
      '--selectProjects',
      'unit',
    ]);
    expect({ code: jest.code, output: tail(jest.output, 40) }).toMatchObject({ code: 0 });
    expect(jest.output).toMatch(/Test Suites:\s+2 passed, 2 total/);
  });

  it('passes its own tests against the running stack, untouched (e2e and migration drift, both modes)', async () => {
    const info = loadStackInfo();
    if (info.provider !== 'local') {
      throw new Error(
        `this test adds a SCRAM user with the local launcher; the stack here is "${info.provider}"`,
      );
    }
    const stackFile = join(copy, '.local', 'stack.generated.json');
    provisioned = true;
    const provision = await runIn(
      copy,
      process.execPath,
      [...tsNode, 'test/generator/support/provision-stack.ts', stackFile],
      {
        SAMVERKAN_LOCAL_DIR: LOCAL_DIR,
      },
    );
    expect({ code: provision.code, output: tail(provision.output, 20) }).toMatchObject({ code: 0 });
    const written = JSON.parse(readFileSync(stackFile, 'utf8')) as typeof info;
    expect(written.kafka.principals[name]).toBeDefined();
    expect(written.kafka.principals[webhookName]).toBeDefined();

    const jest = await runIn(
      copy,
      process.execPath,
      [
        join(REPO, 'node_modules/jest/bin/jest.js'),
        '--config',
        'jest.config.ts',
        `apps/${name}/`,
        `apps/${webhookName}/`,
        '--runInBand',
        '--selectProjects',
        'integration',
        'e2e',
      ],
      {
        SAMVERKAN_TEST_STACK: 'env',
        KAFKA_BROKERS: info.kafka.brokers.join(','),
        KAFKA_USERNAME: info.kafka.admin.username,
        KAFKA_PASSWORD: info.kafka.admin.password,
        DATABASE_URL: info.postgres.adminUrl,
        SAMVERKAN_STACK_FILE: stackFile,
        SAMVERKAN_LOCAL_DIR: join(copy, '.local'),
        SAMVERKAN_KEEP_STACK: '',
      },
    );
    expect({ code: jest.code, output: tail(jest.output, 40) }).toMatchObject({ code: 0 });
    // 2 + 5 e2e tests (own handlers, webhook), 2 + 2 drift tests.
    expect(jest.output).toMatch(/Tests:\s+11 passed, 11 total/);
  });
});
