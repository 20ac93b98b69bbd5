/**
 * Local launcher: `npm start` (stack + every app under apps/) and `npm run stack` (stack only).
 * No Docker: Kafka is assembled from Maven Central and runs on the JVM; PostgreSQL is the server at
 * PGHOST/PGPORT (or DATABASE_URL) or a private cluster under .local/postgres.
 *   --stop   stops a stack left running (e.g. by SAMVERKAN_KEEP_STACK=1 test runs) and exits.
 */
import { join } from 'node:path';
import { planApps, startApps, type RunningApps } from './apps';
import { mintLocalOperatorToken, printAccess, waitForApps } from './console-access';
import { stopKafka } from './kafka/kafka-broker';
import { consoleLogger } from './log';
import { localDir } from './paths';
import { stopPrivateCluster } from './postgres/postgres-cluster';
import { startStack, type RunningStack } from './stack';

const log = consoleLogger;

async function stopLeftovers(): Promise<void> {
  await stopKafka(join(localDir(), 'kafka'), log);
  // Only a private cluster is ours to stop; a server we found is never touched.
  await stopPrivateCluster(join(localDir(), 'postgres'), log);
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--stop')) {
    await stopLeftovers();
    return;
  }
  const stackOnly = args.has('--stack-only');
  const running: { stack?: RunningStack; apps?: RunningApps } = {};
  let shuttingDown = false;

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${signal}: shutting down ...`);
    const watchdog = setTimeout(() => {
      log('shutdown took longer than 60 s; exiting anyway');
      process.exit(1);
    }, 60_000);
    try {
      await running.apps?.stop();
      // The launcher in the foreground owns the stack, even a broker it adopted from an earlier run.
      await running.stack?.stop({ all: true });
    } finally {
      clearTimeout(watchdog);
      log('stopped');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const stack = await startStack({ log });
  running.stack = stack;
  if (shuttingDown) return;
  const { info } = stack;
  log('----------------------------------------------------------------');
  log(
    `Kafka      ${info.kafka.brokers.join(',')}  SASL ${info.kafka.mechanism}, admin user "${info.kafka.admin.username}"`,
  );
  log(
    `PostgreSQL ${info.postgres.host}:${info.postgres.port} (${stack.postgres.kind}); ${Object.keys(info.postgres.databases).length} service databases`,
  );
  log(`Logs       ${info.logs?.kafka ?? ''} ${info.logs?.postgres ?? ''}`.trimEnd());
  log(`Stack file ${stack.stackFile} (credentials for every service)`);
  if (!stackOnly) {
    // Apps accept tokens of the local development issuer (.local/auth, made by @samverkan/auth);
    // mint one with `npx ts-node scripts/mint-token.ts`.
    const { loadOrCreateLocalSigningKey, localAuthEnv } = await import('@samverkan/auth');
    const authDir = join(localDir(), 'auth');
    await loadOrCreateLocalSigningKey(authDir);
    const plans = planApps(info, undefined, localAuthEnv(authDir));
    if (plans.length === 0) log('no apps yet (nothing under apps/*/src/main.ts); running the stack only');
    running.apps = startApps(plans, log);
    if (plans.length > 0) {
      const apps = running.apps;
      const health = await waitForApps(plans, { exited: (name) => apps.exited(name) });
      if (shuttingDown) return;
      printAccess(log, plans, health, await mintLocalOperatorToken(authDir));
    }
  }
  log('----------------------------------------------------------------');
  log('running; Ctrl-C stops everything');
  // Keep the event loop alive until a signal arrives.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`[stack] FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
