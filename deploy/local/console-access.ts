import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateLocalSigningKey, mintToken, ROLES } from '@samverkan/auth';
import type { AppPlan } from './apps';
import type { StackLogger } from './log';

export const OPERATOR_TOKEN_TTL = '8h';

/**
 * A ready-made operator token from the local development issuer (.local/auth), for the console and
 * curl. Local use only: the key never leaves .local/auth and no production app trusts this issuer.
 */
export async function mintLocalOperatorToken(authDir: string): Promise<string> {
  const { key } = await loadOrCreateLocalSigningKey(authDir);
  return mintToken(
    key,
    { sub: 'local-operator', agency: 'operations', org_unit: 'local-operations', roles: [ROLES.OPERATOR] },
    { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, expiresIn: OPERATOR_TOKEN_TTL },
  );
}

/**
 * The console URL that hands the token over in the fragment: a fragment never reaches the server, a
 * proxy or an access log; the page moves it into sessionStorage and drops it from the address bar.
 */
export function consoleUrl(operationsPort: number, token?: string): string {
  const base = `http://127.0.0.1:${operationsPort}/console`;
  return token ? `${base}#token=${encodeURIComponent(token)}` : base;
}

export type AppHealth = 'up' | 'down' | 'exited';

/** Waits until every app answers /health with 200 (or the time runs out) and says which did. */
export async function waitForApps(
  plans: AppPlan[],
  options: { timeoutMs?: number; intervalMs?: number; exited?: (name: string) => boolean } = {},
): Promise<Map<string, AppHealth>> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  const health = new Map<string, AppHealth>(plans.map((p) => [p.name, 'down']));
  while (Date.now() < deadline) {
    await Promise.all(
      plans
        .filter((p) => health.get(p.name) === 'down')
        .map(async (p) => {
          if (options.exited?.(p.name)) {
            health.set(p.name, 'exited');
            return;
          }
          try {
            const res = await fetch(`http://127.0.0.1:${p.port}/health`, {
              signal: AbortSignal.timeout(3_000),
            });
            if (res.status === 200) health.set(p.name, 'up');
          } catch {
            // not listening yet
          }
        }),
    );
    if ([...health.values()].every((h) => h !== 'down')) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
  return health;
}

/** The block `npm start` prints once the apps are up: where everything is and how to get in. */
export function printAccess(
  log: StackLogger,
  plans: AppPlan[],
  health: Map<string, AppHealth>,
  operatorToken: string,
): void {
  const width = Math.max(...plans.map((p) => p.name.length), 10);
  log('----------------------------------------------------------------');
  log('Apps (OpenAPI at /docs, health at /health)');
  for (const p of plans) {
    const state = health.get(p.name) ?? 'down';
    const note =
      state === 'up' ? 'up' : state === 'exited' ? 'EXITED (see its log lines above)' : 'not healthy yet';
    log(`  ${p.name.padEnd(width)}  http://127.0.0.1:${p.port}  ${note}`);
  }
  const operations = plans.find((p) => p.name === 'operations');
  if (operations) {
    log('');
    log(`Operations console   ${consoleUrl(operations.port)}`);
    log(`Open signed in       ${consoleUrl(operations.port, operatorToken)}`);
  } else {
    log('(no apps/operations yet: no console to open)');
  }
  log('');
  log(
    `Operator token (local issuer, ${OPERATOR_TOKEN_TTL}, role ${ROLES.OPERATOR}); paste it into the console or use`,
  );
  log('  curl -H "Authorization: Bearer $TOKEN" ...');
  log(`  ${operatorToken}`);
  log('Other roles: npx ts-node scripts/mint-token.ts --help');
  log('A realistic day of traffic: npm run demo');
}
