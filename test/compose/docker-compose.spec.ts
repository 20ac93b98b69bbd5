import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SERVICES, topology } from '@samverkan/contracts';
import {
  KAFKA_ADMIN_PASSWORD,
  kafkaDevPassword,
  pgDevPassword,
  pgName,
} from '../../deploy/local/credentials';

/**
 * docker-compose.yml cannot be run on this project's machines (no Docker engine), so this checks what
 * can go stale: the apps, build contexts, mounts and environment variables it names, against the repo.
 * Expected apps come from apps/ and the topology, so the test stays right as apps appear: a compose
 * app must be a folder under apps/ or a service the topology plans; every app folder must be in compose.
 */
const root = resolve(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string>; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const appServices = Object.entries(services).filter(([, s]) => s.build?.args?.APP !== undefined);

const appsDir = join(root, 'apps');
const appFolders = existsSync(appsDir)
  ? readdirSync(appsDir).filter((n) => existsSync(join(appsDir, n, 'src', 'main.ts')))
  : [];

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

/** Upper-case properties declared by the env classes (`FOO: string`, `FOO?: number = 1`) in these files. */
function declaredEnvVars(files: string[]): Set<string> {
  const vars = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /^\s+(?:readonly\s+)?([A-Z][A-Z0-9_]*)[?!]?\s*[:=]/gm,
    )) {
      vars.add(match[1]);
    }
  }
  return vars;
}

const baseEnvFiles = filesUnder(join(root, 'libs', 'config', 'src'), '.env.ts');
/** Variables every app reads besides its env class: the auth guard's (AUTH_ENV in @samverkan/auth). */
function authEnvVars(): string[] {
  const file = join(root, 'libs', 'auth', 'src', 'config', 'auth-config.ts');
  if (!existsSync(file)) return [];
  const block = /AUTH_ENV = \{([\s\S]*?)\}/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  return [...block.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]);
}
const baseEnv = new Set([...declaredEnvVars(baseEnvFiles), ...authEnvVars()]);

/**
 * Env classes in other libs that an app's env class extends (e.g. WebhookServiceEnv from
 * @samverkan/webhooks for an app that delivers to a webhook): their variables are the app's too.
 */
const libEnvFiles = filesUnder(join(root, 'libs'), '.env.ts').filter((f) => !baseEnvFiles.includes(f));
function inheritedEnvFiles(appEnvFiles: string[]): string[] {
  const parents = appEnvFiles.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\bextends\s+([A-Za-z0-9_]+)/g)].map((m) => m[1]),
  );
  return libEnvFiles.filter((f) =>
    parents.some((p) => new RegExp(`export class ${p}\\b`).test(readFileSync(f, 'utf8'))),
  );
}

describe('docker-compose.yml', () => {
  it('finds the shared env class the apps extend (so the env checks below mean something)', () => {
    expect(baseEnvFiles.length).toBeGreaterThan(0);
    expect([...baseEnv]).toEqual(
      expect.arrayContaining(['KAFKA_BROKERS', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'DATABASE_URL', 'PORT']),
    );
  });

  it('runs one app container per service in the topology', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(expect.arrayContaining([...SERVICES].sort()));
  });

  it('has a service for every app under apps/', () => {
    const named = new Set(appServices.map(([, s]) => s.build?.args?.APP));
    expect(appFolders.filter((app) => !named.has(app))).toEqual([]);
  });

  it('names only apps that exist under apps/ or are planned by the topology', () => {
    const known = new Set<string>([...appFolders, ...SERVICES]);
    expect(appServices.map(([, s]) => s.build?.args?.APP).filter((app) => !known.has(app ?? ''))).toEqual([]);
  });

  it.each(appServices)('%s builds its own app and runs its compiled main', (name, service) => {
    expect(service.build?.args?.APP).toBe(name);
    expect(service.command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
    if (appFolders.includes(name)) expect(existsSync(join(appsDir, name, 'src', 'main.ts'))).toBe(true);
  });

  it.each(Object.entries(services).filter(([, s]) => s.build))(
    '%s has an existing build context and Dockerfile',
    (_name, service) => {
      const context = join(root, service.build?.context ?? '');
      expect(existsSync(context)).toBe(true);
      const dockerfile = join(context, service.build?.dockerfile ?? 'Dockerfile');
      expect(existsSync(dockerfile)).toBe(true);
      const text = readFileSync(dockerfile, 'utf8');
      if (service.build?.args) {
        for (const arg of Object.keys(service.build.args))
          expect(text).toMatch(new RegExp(`^ARG ${arg}\\b`, 'm'));
      }
      if (service.build?.target)
        expect(text).toMatch(new RegExp(`^FROM .+ AS ${service.build.target}$`, 'm'));
    },
  );

  it.each(Object.entries(services).filter(([, s]) => s.volumes))(
    '%s mounts only paths that exist in the repo (or are made locally under .local/)',
    (_name, service) => {
      const hostPaths = (service.volumes ?? []).map((v) => v.split(':')[0]).filter((p) => p.startsWith('.'));
      const gitignore = readFileSync(join(root, '.gitignore'), 'utf8');
      for (const p of hostPaths) {
        // .local/ is git-ignored state made on the developer's machine (the local token issuer), so a
        // fresh clone does not have it yet; anything else must be in the repository.
        const ok = p.startsWith('./.local/') ? /^\.local\/$/m.test(gitignore) : existsSync(join(root, p));
        expect({ path: p, ok }).toEqual({ path: p, ok: true });
      }
    },
  );

  it('gives apps everything the auth guard requires', () => {
    expect(baseEnv.has('AUTH_JWKS_FILE')).toBe(true);
    for (const [name, service] of appServices) {
      expect({ name, env: Object.keys(service.environment ?? {}) }).toEqual({
        name,
        env: expect.arrayContaining(['AUTH_JWKS_FILE', 'AUTH_ISSUER', 'AUTH_AUDIENCE']),
      });
    }
  });

  it.each(appServices)(
    '%s passes only variables its config class declares, and all it requires',
    (name, service) => {
      const appEnvFiles = filesUnder(join(appsDir, name, 'src'), '.env.ts');
      const declared = new Set([
        ...baseEnv,
        ...declaredEnvVars(appEnvFiles),
        ...declaredEnvVars(inheritedEnvFiles(appEnvFiles)),
      ]);
      const passed = Object.keys(service.environment ?? {});
      expect(passed.filter((v) => !declared.has(v))).toEqual([]);
      expect(passed).toEqual(
        expect.arrayContaining(['KAFKA_BROKERS', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'DATABASE_URL', 'PORT']),
      );
    },
  );

  it.each(appServices)('%s uses its own Kafka principal and its own database', (name, service) => {
    const env = service.environment ?? {};
    const principal = topology.principals.find((p) => p.service === name);
    expect(env.KAFKA_USERNAME).toBe(principal?.username);
    expect(env.KAFKA_PASSWORD).toBe(kafkaDevPassword(name));
    expect(env.DATABASE_URL).toBe(
      `postgresql://${pgName(name)}:${pgDevPassword(name)}@postgres:5432/${pgName(name)}`,
    );
  });

  it('seeds a SCRAM user for admin and every principal in the topology', () => {
    const script = readFileSync(join(root, 'deploy', 'docker', 'kafka', 'kafka-start.sh'), 'utf8');
    const seeded = [...script.matchAll(/SCRAM-SHA-256=\[name=([^,]+),password=([^\]]+)\]/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(seeded).toEqual([
      ['admin', KAFKA_ADMIN_PASSWORD],
      ...topology.principals.map((p) => [p.username, kafkaDevPassword(p.username)]),
    ]);
  });

  it('creates a database and role for every service in the postgres init script', () => {
    const sql = readFileSync(join(root, 'deploy', 'docker', 'postgres', '10-service-databases.sql'), 'utf8');
    for (const service of SERVICES) {
      const n = pgName(service);
      expect(sql).toContain(`CREATE ROLE ${n} LOGIN PASSWORD '${pgDevPassword(service)}';`);
      expect(sql).toContain(`CREATE DATABASE ${n} OWNER ${n};`);
      expect(sql).toContain(`REVOKE CONNECT, TEMPORARY ON DATABASE ${n} FROM PUBLIC;`);
    }
  });

  it('runs Kafka 3.9 and PostgreSQL 16 images', () => {
    expect(services.kafka?.image).toBe('apache/kafka:3.9.1');
    expect(services.postgres?.image).toBe('postgres:16');
  });
});
