/**
 * Mints a bearer token from the local development issuer (.local/auth/, created on first use).
 *
 *   npx ts-node scripts/mint-token.ts --agency education --org-unit 12345678 --roles reporter
 *
 * Prints only the token on stdout, so `TOKEN=$(npx ts-node scripts/mint-token.ts ...)` works. The
 * apps accept it with AUTH_JWKS_FILE=.local/auth/jwks.json AUTH_ISSUER=https://auth.samverkan.local
 * AUTH_AUDIENCE=samverkan-hub (printed on stderr with --env). The private key stays in .local/auth/
 * (git-ignored); never commit it, and never point a production app at this issuer.
 */
import { parseArgs } from 'node:util';
import {
  CALLER_AGENCIES,
  isCallerAgency,
  LOCAL_AUDIENCE,
  LOCAL_AUTH_DIR,
  LOCAL_ISSUER,
  localAuthEnv,
  loadOrCreateLocalSigningKey,
  mintToken,
} from '@samverkan/auth';

const USAGE = `usage: mint-token --agency <${CALLER_AGENCIES.join('|')}> --org-unit <id> --roles <role[,role...]>
                  [--sub <id>] [--ttl <seconds|15m|8h>] [--dir ${LOCAL_AUTH_DIR}] [--env]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      'org-unit': { type: 'string' },
      roles: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
      dir: { type: 'string', default: LOCAL_AUTH_DIR },
      env: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const agency = values.agency;
  const orgUnit = values['org-unit'];
  if (!isCallerAgency(agency) || !orgUnit) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const roles = (values.roles ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  const ttl = /^\d+$/.test(values.ttl) ? Number(values.ttl) : values.ttl;
  const { key, jwksFile } = await loadOrCreateLocalSigningKey(values.dir);
  const token = await mintToken(
    key,
    { sub: values.sub ?? `dev-${agency}-${orgUnit}`, agency, org_unit: orgUnit, roles },
    { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, expiresIn: ttl },
  );
  if (values.env) {
    for (const [name, value] of Object.entries(localAuthEnv(values.dir)))
      process.stderr.write(`${name}=${value}\n`);
  } else {
    process.stderr.write(`public keys: ${jwksFile}\n`);
  }
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`mint-token failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
