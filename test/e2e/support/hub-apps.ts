import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { TestIssuer } from '@samverkan/auth';
import { createKafkaClient } from '@samverkan/messaging';
import { eventually, loadStackInfo } from '@samverkan/testing';

// Starts hub apps for e2e tests as `npm start` does: each app's real main.ts in a process of its
// own, with its own Kafka principal from the topology (the ACLs are enforced) on the real topics,
// and its own database and role from the stack.
//
// The consumer groups are fixed by the ACLs (`router`, `education`, ...), so another run on the same
// stack joins the same groups. With the stack's service databases, two runs then behave like two
// instances of each service in a scaled deployment: whichever instance consumes an event, its effect
// lands in the one database both read. (With a scratch database per run, an event consumed by the
// other run's instance would be lost to this one.) Tests keep apart by using children, units and
// reports of their own.

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export type HubApp = 'education' | 'social-services' | 'leisure' | 'router' | 'reporting';

export interface RunningApp {
  name: HubApp;
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
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

export interface StartOptions {
  issuer: TestIssuer;
  /** Extra environment (e.g. the router's pseudonym key). */
  env?: Record<string, string>;
}

export async function startApp(name: HubApp, options: StartOptions): Promise<RunningApp> {
  const info = loadStackInfo();
  const principal = info.kafka.principals[name];
  if (!principal) throw new Error(`The stack has no Kafka principal for ${name}`);
  const database = info.postgres.databases[name];
  if (!database) throw new Error(`The stack has no database for ${name}`);
  const databaseUrl = database.url;
  const port = await freePort();
  let output = '';
  const child = spawn(
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
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        ...options.issuer.env,
        ...options.env,
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
      { describe: `${name} healthy`, timeoutMs: 180_000, intervalMs: 500, dump: tail },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url, child, output: tail, stop };
}

/** Reads topics from the beginning, read_committed, as the stack's admin (a reader of its own). */
export async function collectTopics(topics: string[]) {
  const info = loadStackInfo();
  const kafka = createKafkaClient({
    brokers: info.kafka.brokers,
    clientId: uniqueName('e2e'),
    sasl: info.kafka.admin,
  });
  const messages: Array<{ topic: string; key: string; headers: Record<string, string>; value: string }> = [];
  const consumer = kafka.consumer({ groupId: uniqueName('e2e-collector'), readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers: Record<string, string> = {};
      for (const [header, value] of Object.entries(message.headers ?? {})) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined)
          headers[header] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
      }
      messages.push({
        topic,
        key: message.key?.toString('utf8') ?? '',
        headers,
        value: message.value?.toString('utf8') ?? '',
      });
    },
  });
  return { messages, close: () => consumer.disconnect() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field in assertions
export type Json = any;

/** JSON over HTTP with a bearer token. */
export async function call(
  app: RunningApp,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
