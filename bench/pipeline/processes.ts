import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

// Every process the benchmark starts is registered here, so Ctrl-C, an error or a normal end kills
// exactly those (by pid, never by name) and nothing else on this shared machine.

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
  /** SIGKILL at once (the crash the benchmark injects). */
  crash: () => Promise<void>;
  exited: () => boolean;
}

const live = new Set<Proc>();
const cleanups: Array<() => Promise<void>> = [];

/** The processes the benchmark started that are running now, by pid (for the CPU meter). */
export function liveProcesses(): Array<{ pid: number; name: string }> {
  return [...live].flatMap((p) =>
    p.child.pid !== undefined && !p.exited() ? [{ pid: p.child.pid, name: p.name }] : [],
  );
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * `BENCH_PROFILE=hub-education,naive-api` runs those processes under V8's sampling profiler; each
 * writes bench/results/profiles/<name>-<time>.cpuprofile when it is stopped (not when SIGKILLed).
 * Open them in Chrome DevTools (Performance) or https://www.speedscope.app.
 */
export function isProfiled(name: string): boolean {
  return (process.env.BENCH_PROFILE ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(name);
}

function profiling(name: string): { args: string[]; env: Record<string, string> } {
  if (!isProfiled(name)) return { args: [], env: {} };
  const file = resolve(REPO_ROOT, 'bench', 'results', 'profiles', `${name}-${Date.now()}.cpuprofile`);
  return {
    args: ['-r', resolve(__dirname, 'cpu-profile.preload.ts')],
    env: { BENCH_PROFILE_FILE: file },
  };
}

/** A TypeScript entry point run as its own node process (transpile-only, path aliases). */
export function spawnTs(name: string, entry: string, env: Record<string, string>): Proc {
  let output = '';
  const profile = profiling(name);
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      ...profile.args,
      resolve(REPO_ROOT, entry),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: 'true',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...env,
        ...profile.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 64_000) output = output.slice(-32_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // BENCH_LOG_DIR: each process's whole output in <dir>/<name>.log (appended across restarts).
  const logDir = process.env.BENCH_LOG_DIR;
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    const file = createWriteStream(resolve(logDir, `${name}.log`), { flags: 'a' });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once('exit', () => file.end());
  }
  const exitedP = new Promise<void>((done) => child.once('exit', () => done()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const proc: Proc = {
    name,
    child,
    output: () => output.slice(-4000),
    exited,
    stop: async (graceMs = 10_000) => {
      if (!exited()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exitedP;
        clearTimeout(timer);
      }
      live.delete(proc);
    },
    crash: async () => {
      if (!exited()) {
        child.kill('SIGKILL');
        await exitedP;
      }
      live.delete(proc);
    },
  };
  live.add(proc);
  child.once('exit', () => live.delete(proc));
  return proc;
}

/** Waits until `url` answers 200 (or the process dies). */
export async function waitHealthy(proc: Proc, url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exited()) throw new Error(`${proc.name} exited during start:\n${proc.output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${proc.name} not healthy after ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(300);
  }
}

/** Waits until the process prints `marker` on stdout/stderr. */
export async function waitForOutput(proc: Proc, marker: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  const listener = (chunk: Buffer) => (seen += chunk.toString('utf8'));
  proc.child.stdout?.on('data', listener);
  try {
    while (!seen.includes(marker)) {
      if (proc.exited()) throw new Error(`${proc.name} exited during start:\n${proc.output()}`);
      if (Date.now() > deadline)
        throw new Error(`${proc.name}: no "${marker}" after ${timeoutMs} ms:\n${proc.output()}`);
      await sleep(200);
    }
  } finally {
    proc.child.stdout?.off('data', listener);
  }
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Runs at the end (in reverse order), after the processes are stopped. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | undefined;

/** Stops every registered process, then the registered cleanups. Safe to call more than once. */
export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...live].map((p) => p.stop(5_000).catch(() => undefined)));
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  })();
  return cleaning;
}

/** Ctrl-C, SIGTERM and crashes still stop the children and drop the scratch databases. */
export function installSignalHandlers(): void {
  const bail = (code: number) => () => {
    process.stderr.write('\nstopping everything the benchmark started...\n');
    void cleanupAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', bail(130));
  process.once('SIGTERM', bail(143));
  process.once('uncaughtException', (error) => {
    process.stderr.write(`uncaught: ${error.stack ?? error.message}\n`);
    bail(1)();
  });
  // Last resort if the event loop is gone: kill synchronously.
  process.once('exit', () => {
    for (const p of live) if (!p.exited()) p.child.kill('SIGKILL');
  });
}
