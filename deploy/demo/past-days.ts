import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import { localAuthEnv } from '@samverkan/auth';
import { planApps } from '../local/apps';
import { repoRoot } from '../local/paths';
import { terminate } from '../local/process-util';
import type { StackInfo } from '../local/stack-info';

/**
 * The school system as it was some days ago: a second education instance whose clock runs behind
 * (CLOCK_OFFSET, which the apps refuse in production), so the reports it files are dated then and
 * social services counts their deadlines from then. Everything else in the hub keeps real time, so
 * those reports arrive today already past their deadlines, as a backlog would.
 *
 * It is a real instance of the real app, with education's own principal and database: it joins the
 * `education` consumer group while it runs (a short rebalance) and leaves it cleanly when stopped.
 */
export interface PastInstance {
  url: string;
  /** The app's own boot warning about its simulated clock, as logged. */
  clockBanner: string | undefined;
  stop(): Promise<void>;
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

export async function startEducationInThePast(
  info: StackInfo,
  authDir: string,
  clockOffset: string,
): Promise<PastInstance> {
  const plan = planApps(info, repoRoot(), localAuthEnv(authDir)).find((p) => p.name === 'education');
  if (!plan) throw new Error('apps/education not found');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', plan.main],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        ...plan.env,
        PORT: String(port),
        CLOCK_OFFSET: clockOffset,
        TS_NODE_TRANSPILE_ONLY: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Kept, not echoed: the demo prints its own progress; the log is shown only if the instance fails.
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      await terminate(child.pid, 15_000);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`education (${clockOffset}) exited at start:\n${output.slice(-3000)}`);
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) })
      .then((res) => res.status === 200)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`education (${clockOffset}) not healthy after 120 s:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const banner = /SIMULATED CLOCK[^\n]*/.exec(stripVTControlCharacters(output))?.[0];
  return { url, clockBanner: banner, stop };
}
