import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { TestIssuer } from '@samverkan/auth';
import { eventually, loadStackInfo } from '@samverkan/testing';

// Hub apps for the console's browser test, started as `npm start` starts them: the real main.ts in a
// process of its own, with the app's own Kafka principal and the stack's database of that service.

export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

export interface HubProcess {
  name: string;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
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

export async function startHubApp(
  name: 'operations' | 'education' | 'social-services',
  issuer: TestIssuer,
  env: Record<string, string> = {},
): Promise<HubProcess> {
  const info = loadStackInfo();
  const principal = info.kafka.principals[name];
  const database = info.postgres.databases[name];
  if (!principal || !database) throw new Error(`the stack has no principal or database for ${name}`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      resolve(REPO_ROOT, `apps/${name}/src/main.ts`),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: 'true',
        KAFKA_BROKERS: info.kafka.brokers.join(','),
        KAFKA_USERNAME: principal.username,
        KAFKA_PASSWORD: principal.password,
        DATABASE_URL: database.url,
        PORT: String(port),
        ...issuer.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const tail = () => output.slice(-4000);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
        const res = await fetch(`${url}/health`);
        if (res.status !== 200) throw new Error(`${name} /health answered ${res.status}`);
      },
      { describe: `${name} healthy`, timeoutMs: 120_000, intervalMs: 500, dump: tail },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url, output: tail, stop };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field in assertions
export type Json = any;

export async function callJson(
  app: HubProcess,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
