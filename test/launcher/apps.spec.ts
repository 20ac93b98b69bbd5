import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '@samverkan/contracts';
import { discoverApps, planApps } from '../../deploy/local/apps';
import type { StackInfo } from '../../deploy/local/stack-info';

const info: StackInfo = {
  kafka: {
    brokers: ['127.0.0.1:19092', '127.0.0.1:19094'],
    mechanism: 'scram-sha-256',
    admin: { username: 'admin', password: 'a' },
    principals: {
      education: { username: 'education', password: 'e' },
      router: { username: 'router', password: 'r' },
    },
  },
  postgres: {
    host: '127.0.0.1',
    port: 5432,
    adminUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
    databases: {
      education: {
        database: 'samverkan_education',
        username: 'u',
        password: 'p',
        url: 'postgresql://u:p@h/samverkan_education',
      },
    },
  },
  provider: 'local',
};

describe('launcher app discovery', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'samverkan-apps-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const app = (name: string, withMain = true) => {
    mkdirSync(join(root, 'apps', name, 'src'), { recursive: true });
    if (withMain) writeFileSync(join(root, 'apps', name, 'src', 'main.ts'), '');
  };

  it('finds nothing when there is no apps/ folder', () => {
    expect(discoverApps(root)).toEqual([]);
  });

  it('gives each app a fixed port by topology order, whatever else exists', () => {
    app('router');
    app('zeta-tool');
    app('education');
    app('half-done', false);
    expect(discoverApps(root).map(({ name, port }) => ({ name, port }))).toEqual([
      { name: 'education', port: 3001 },
      { name: 'router', port: 3004 },
      // After every service of the topology (a generated consumer adds one).
      { name: 'zeta-tool', port: 3001 + SERVICES.length },
    ]);
  });

  it("hands an app its own principal and database, and the stack's brokers", () => {
    app('education');
    expect(planApps(info, root)[0].env).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:19094',
      KAFKA_USERNAME: 'education',
      KAFKA_PASSWORD: 'e',
      DATABASE_URL: 'postgresql://u:p@h/samverkan_education',
      PORT: '3001',
    });
  });
});
