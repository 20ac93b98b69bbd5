import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import ts from 'typescript';
import { CONSOLE_ASSETS, consoleAssetsDir } from './console-assets';
import { OperationsWebModule } from './operations-web.module';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the console page and its assets', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OperationsWebModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the page at /console with a CSP that allows only its own origin and no inline script', async () => {
    const res = await request(app.getHttpServer()).get('/console').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toContain('<script type="module" src="/console/app.js">');
    // Everything the page loads comes from the app itself.
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('redirects / to the console', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(302);
    expect(res.headers.location).toBe('/console');
  });

  it('serves the modules as JavaScript, nested views included', async () => {
    const js = await request(app.getHttpServer()).get('/console/app.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.text).toContain("from './views/overview.js'");
    await request(app.getHttpServer()).get('/console/views/dead-letters.js').expect(200);
    await request(app.getHttpServer())
      .get('/console/console.css')
      .expect('content-type', /text\/css/);
  });

  it('serves nothing that is not on the asset list (no traversal, no source files)', async () => {
    for (const path of [
      '/console/..%2F..%2Fmain.ts',
      '/console/views/..%2Fconsole-assets.ts',
      '/console/tsconfig.json',
      '/console/console.controller.ts',
      '/console/nope.js',
    ]) {
      await request(app.getHttpServer()).get(path).expect(404);
    }
  });

  it('lists every asset file on disk and nothing that is missing', () => {
    const dir = consoleAssetsDir();
    const onDisk = filesUnder(dir)
      .map((file) => relative(dir, file))
      .filter((file) => file !== 'tsconfig.json')
      .sort();
    expect(Object.keys(CONSOLE_ASSETS).sort()).toEqual(onDisk);
  });

  it('the browser modules type-check against the DOM (tsconfig.json next to them)', () => {
    const dir = consoleAssetsDir();
    const configFile = ts.readConfigFile(join(dir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(parsed.fileNames.length).toBeGreaterThan(10);
    expect(diagnostics).toEqual([]);
  });
});
