import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PKI for tests of HTTPS delivery: a CA and server certificates it signed, made with the
 * openssl CLI at test time (node:crypto reads X.509 but cannot issue it). Nothing is checked in and
 * nothing outlives the test: `dispose()` removes the directory, keys included.
 */
export interface TestPki {
  dir: string;
  /** The CA certificate's PEM file: what WEBHOOK_CA_FILE points at. */
  caFile: string;
  /** Signed by the CA for 127.0.0.1 and localhost. */
  server: { key: string; cert: string };
  /** Signed by the same CA, but for another host name only. */
  wrongHost: { key: string; cert: string };
  dispose(): void;
}

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') {
      throw new Error(
        'The HTTPS webhook tests need the openssl CLI to issue a throw-away CA and server certificate; ' +
          'install openssl (apt-get install openssl) and run them again.',
      );
    }
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Samverkan webhook test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const issue = (name: string, subjectAltName: string) => {
    writeFileSync(
      join(dir, `${name}.ext`),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${subjectAltName}\n`,
    );
    openssl(dir, [
      'req',
      '-new',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
    return {
      key: readFileSync(join(dir, `${name}.key`), 'utf8'),
      cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    };
  };
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    server: issue('server', 'IP:127.0.0.1,DNS:localhost'),
    wrongHost: issue('elsewhere', 'DNS:elsewhere.invalid'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTPS receiver on 127.0.0.1 with the given certificate: records each request and answers
 * with `answer(request)` (204 by default; `'never'` leaves the request hanging).
 */
export async function startHttpsReceiver(
  tls: { key: string; cert: string },
  answer: (request: ReceivedRequest) => number | 'never' = () => 204,
): Promise<{ url: (path?: string) => string; received: ReceivedRequest[]; close: () => Promise<void> }> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer(tls, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const request = { headers: req.headers, body };
      received.push(request);
      const status = answer(request);
      if (status === 'never') return; // a receiver that hangs: the delivery's timeout must end it
      res.statusCode = status;
      res.end();
    });
  });
  // Handshakes the client refuses end in a socket error on this side; that is the point of some tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `https://127.0.0.1:${port}${path}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
