import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Every file the page consists of, with its media type: nothing outside this list is ever served. */
export const CONSOLE_ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'dom.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
  'views/overview.js': 'text/javascript; charset=utf-8',
  'views/group.js': 'text/javascript; charset=utf-8',
  'views/dead-letters.js': 'text/javascript; charset=utf-8',
  'views/failures.js': 'text/javascript; charset=utf-8',
  'views/health.js': 'text/javascript; charset=utf-8',
  'views/catalog.js': 'text/javascript; charset=utf-8',
  'views/audit.js': 'text/javascript; charset=utf-8',
  'views/webhooks.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * The page allows only its own origin: no inline script, no third-party host, and no framing. The token
 * lives in sessionStorage, so a strict policy is what keeps an injected script from reading it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Where the assets are: next to this file, from source (ts-node, tests) and in a build (`npm run build`
 * copies them into dist/, which is all the container image keeps); the source tree of the checkout is
 * the fallback for a dist/ compiled by plain tsc.
 */
export function consoleAssetsDir(): string {
  const here = join(__dirname, 'assets');
  if (existsSync(join(here, 'index.html'))) return here;
  return resolve(process.cwd(), 'apps', 'operations', 'src', 'web', 'assets');
}
