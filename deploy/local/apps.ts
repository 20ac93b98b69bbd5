import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '@samverkan/contracts';
import { localDir, repoRoot } from './paths';
import { terminate } from './process-util';
import type { StackInfo } from './stack-info';
import type { StackLogger } from './log';

export const FIRST_APP_PORT = 3001;

export interface AppPlan {
  name: string;
  main: string;
  port: number;
  env: Record<string, string>;
}

/**
 * Apps are whatever has apps/<name>/src/main.ts. Ports are fixed per name (topology order first, then
 * any other app alphabetically), so a URL does not move when another app appears.
 */
export function discoverApps(root = repoRoot()): Array<{ name: string; main: string; port: number }> {
  const appsDir = join(root, 'apps');
  const present = existsSync(appsDir)
    ? readdirSync(appsDir).filter((name) => existsSync(join(appsDir, name, 'src', 'main.ts')))
    : [];
  const known = SERVICES as readonly string[];
  const extras = present.filter((n) => !known.includes(n)).sort();
  const order = [...known, ...extras];
  return present
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((name) => ({
      name,
      main: join(appsDir, name, 'src', 'main.ts'),
      port: FIRST_APP_PORT + order.indexOf(name),
    }));
}

/** The environment an app gets from the stack: its own principal and database, nobody else's. */
export function appEnv(info: StackInfo, name: string, port: number): Record<string, string> {
  const principal = info.kafka.principals[name] ?? info.kafka.admin;
  const env: Record<string, string> = {
    KAFKA_BROKERS: info.kafka.brokers.join(','),
    KAFKA_USERNAME: principal.username,
    KAFKA_PASSWORD: principal.password,
    PORT: String(port),
  };
  const db = info.postgres.databases[name];
  if (db) env.DATABASE_URL = db.url;
  return env;
}

/**
 * App-specific local settings: `apps/<name>/local.env`, KEY=VALUE lines (# comments), where `${LOCAL_DIR}`
 * and `${REPO_ROOT}` expand. For development values only (a dev key file path, a feature flag); the
 * stack's own variables always win.
 */
export function readLocalEnv(root: string, name: string): Record<string, string> {
  const file = join(root, 'apps', name, 'local.env');
  if (!existsSync(file)) return {};
  const env: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    env[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/\$\{LOCAL_DIR\}/g, localDir())
      .replace(/\$\{REPO_ROOT\}/g, root);
  }
  return env;
}

export function planApps(
  info: StackInfo,
  root = repoRoot(),
  extraEnv: Record<string, string> = {},
): AppPlan[] {
  return discoverApps(root).map((a) => ({
    ...a,
    env: { ...readLocalEnv(root, a.name), ...extraEnv, ...appEnv(info, a.name, a.port) },
  }));
}

export interface RunningApps {
  stop(): Promise<void>;
  /** True once the app's process has ended (crashed or stopped). */
  exited(name: string): boolean;
}

export function startApps(plans: AppPlan[], log: StackLogger): RunningApps {
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;
  for (const plan of plans) {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', plan.main],
      {
        cwd: repoRoot(),
        env: { ...process.env, ...plan.env, TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const prefix = (stream: NodeJS.ReadableStream | null, out: NodeJS.WritableStream) => {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) out.write(`[${plan.name}] ${line}\n`);
      });
    };
    prefix(child.stdout, process.stdout);
    prefix(child.stderr, process.stderr);
    child.once('exit', (code, signal) => {
      if (!stopping) log(`app ${plan.name} exited (${signal ?? `code ${code}`}); the others keep running`);
    });
    children.push({ name: plan.name, child });
    log(`app ${plan.name}: http://127.0.0.1:${plan.port} (pid ${child.pid})`);
  }
  return {
    exited: (name) =>
      children.some(
        ({ name: n, child }) => n === name && (child.exitCode !== null || child.signalCode !== null),
      ),
    stop: async () => {
      stopping = true;
      await Promise.all(
        children
          .filter(
            ({ child }) => child.exitCode === null && child.signalCode === null && child.pid !== undefined,
          )
          .map(async ({ name, child }) => {
            log(`app ${name}: stopping ...`);
            await terminate(child.pid as number, 15_000);
          }),
      );
    },
  };
}
