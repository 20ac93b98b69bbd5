import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, ROLES } from '@samverkan/auth';
import { consoleUrl, mintLocalOperatorToken } from './console-access';

describe('npm start: console access', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-access-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands the token over in the fragment, never in a query string', () => {
    const url = consoleUrl(3006, 'a.b-c_d');
    expect(url).toBe('http://127.0.0.1:3006/console#token=a.b-c_d');
    expect(url).not.toContain('?');
    expect(consoleUrl(3006)).toBe('http://127.0.0.1:3006/console');
  });

  it('mints an operator token of the local issuer', async () => {
    const token = await mintLocalOperatorToken(dir);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      agency: 'operations',
      roles: [ROLES.OPERATOR],
    });
    expect(claims.exp - claims.iat).toBe(8 * 3600);
  });
});
