import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// Every app refuses to start on bad configuration with one readable line per bad variable, naming the
// variable and the rule but never the value, and exits 1 — no stack trace, nothing connected.

jest.setTimeout(120_000);

const REPO_ROOT = resolve(__dirname, '..', '..');
const APPS = ['education', 'social-services', 'leisure', 'router', 'reporting', 'operations'] as const;
const SECRET = 'pw-that-must-not-be-printed';

function boot(app: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
      {
        cwd: REPO_ROOT,
        // Only what a shell would have, plus deliberately bad settings.
        env: {
          PATH: process.env.PATH,
          TS_NODE_TRANSPILE_ONLY: 'true',
          KAFKA_PASSWORD: SECRET,
          DATABASE_URL: `mysql://user:${SECRET}@db/x`,
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, output }));
  });
}

describe.each(APPS)('%s with a bad environment', (app) => {
  it('exits 1 naming each bad variable, without values or a stack trace', async () => {
    const { code, output } = await boot(app);
    expect(code).toBe(1);
    expect(output).toContain('failed to start: ConfigError');
    for (const variable of ['KAFKA_BROKERS', 'KAFKA_USERNAME', 'DATABASE_URL', 'PORT', 'LOG_LEVEL'])
      expect(output).toContain(variable);
    expect(output).not.toContain(SECRET);
    expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});
