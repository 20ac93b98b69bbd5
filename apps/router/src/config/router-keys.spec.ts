import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { pseudonymize } from '@samverkan/contracts';
import { loadRouterKeys, RouterKeyError, RouterKeyErrorCode } from './router-keys';

const KEY = 'a-router-pseudonym-key-of-40-bytes-length!';
const PNR = '201505152387';

function keyError(fn: () => unknown): RouterKeyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RouterKeyError) return error;
    throw error;
  }
  throw new Error('expected a RouterKeyError');
}

describe('loadRouterKeys', () => {
  it('reads the key from a file (a trailing newline is not part of it) or from the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'router-key-')), 'key');
    writeFileSync(file, `${KEY}\n`);
    const fromFile = loadRouterKeys({ ROUTER_PSEUDONYM_KEY_FILE: file });
    const fromEnv = loadRouterKeys({ ROUTER_PSEUDONYM_KEY: KEY });
    expect(fromFile.reportingPseudonym(PNR)).toBe(pseudonymize(PNR, KEY));
    expect(fromEnv.reportingPseudonym(PNR)).toBe(pseudonymize(PNR, KEY));
  });

  it('needs exactly one source', () => {
    expect(keyError(() => loadRouterKeys({})).code).toBe(RouterKeyErrorCode.KEY_SOURCE);
    expect(
      keyError(() => loadRouterKeys({ ROUTER_PSEUDONYM_KEY: KEY, ROUTER_PSEUDONYM_KEY_FILE: '/x' })).code,
    ).toBe(RouterKeyErrorCode.KEY_SOURCE);
  });

  it('refuses a short key and an unreadable file without echoing either', () => {
    const short = keyError(() => loadRouterKeys({ ROUTER_PSEUDONYM_KEY: 'too-short-secret' }));
    expect(short.code).toBe(RouterKeyErrorCode.KEY_TOO_SHORT);
    expect(short.message).not.toContain('too-short-secret');
    const missing = keyError(() => loadRouterKeys({ ROUTER_PSEUDONYM_KEY_FILE: '/nonexistent/secret-path' }));
    expect(missing.code).toBe(RouterKeyErrorCode.KEY_UNREADABLE);
    expect(missing.message).not.toContain('secret-path');
  });

  it('never shows the key when logged or serialized', () => {
    const keys = loadRouterKeys({ ROUTER_PSEUDONYM_KEY: KEY });
    expect(inspect(keys)).not.toContain(KEY);
    expect(inspect({ keys }, { depth: 5, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify({ keys })).not.toContain(KEY);
    expect(Object.keys(keys)).toEqual([]);
  });
});
