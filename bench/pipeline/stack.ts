import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  createScratchDatabase,
  dropScratchDatabase,
  loadStackInfo,
  type StackInfo,
} from '@samverkan/testing';
import { startStack } from '../../deploy/local/stack';
import { onCleanup, REPO_ROOT } from './processes';

export type StackMode = 'shared' | 'private';

/**
 * The stack the benchmark runs on. `shared` (default): the checkout's stack (.local/stack.json),
 * started if needed and left as found. `private`: a broker of the benchmark's own (its own state
 * folder and port), so the fixed consumer groups (`education`, `router`, `social-services`) cannot
 * meet instances from a test run on the shared broker. PostgreSQL is the same server either way;
 * the benchmark only ever uses scratch databases on it.
 */
export async function provideBenchStack(mode: StackMode, log: (line: string) => void): Promise<StackInfo> {
  if (mode === 'private') {
    const dir = process.env.BENCH_STACK_DIR ?? join(REPO_ROOT, '.local', 'bench-pipeline-stack');
    process.env.SAMVERKAN_LOCAL_DIR = dir;
    process.env.SAMVERKAN_KAFKA_PORT = process.env.BENCH_KAFKA_PORT ?? '29092';
    process.env.SAMVERKAN_KAFKA_CONTROLLER_PORT = String(Number(process.env.SAMVERKAN_KAFKA_PORT) + 1);
    process.env.SAMVERKAN_STACK_FILE = join(dir, 'stack.json');
  }
  const stack = await startStack({ log: (line) => log(`stack: ${line}`) });
  process.env.SAMVERKAN_STACK_FILE = stack.stackFile;
  // stop() leaves a stack that someone else started or still uses running.
  onCleanup(() => stack.stop());
  return loadStackInfo();
}

export function adminKafka(info: StackInfo, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: info.kafka.brokers,
    sasl: { mechanism: info.kafka.mechanism, ...info.kafka.admin },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * The hub's consumer groups are fixed by the ACLs, so a second instance of education, router or
 * social-services on this broker would take partitions (and their effects would land in its own
 * database, not in the benchmark's). Refuse rather than measure that.
 *
 * Members of a process that was killed (an interrupted run, on the private broker too: the group
 * state outlives a broker restart) stay until their session times out (30 s), so members are waited
 * for up to `waitMs` before the benchmark gives up.
 */
export async function assertGroupsIdle(
  info: StackInfo,
  groups: string[],
  options: { waitMs: number; log: (line: string) => void },
): Promise<void> {
  const admin = adminKafka(info, 'bench-pipeline-check').admin();
  await admin.connect();
  try {
    const deadline = Date.now() + options.waitMs;
    let logged = false;
    for (;;) {
      const described = await admin.describeGroups(groups);
      const busy = described.groups.filter((g) => g.members.length > 0);
      if (busy.length === 0) return;
      const who = busy
        .map(
          (g) =>
            `${g.groupId} (${g.members.length} member${g.members.length === 1 ? '' : 's'}: ${[...new Set(g.members.map((m) => m.clientHost))].join(', ')})`,
        )
        .join(', ');
      if (Date.now() >= deadline) {
        throw new Error(
          `Other instances are consuming as ${who} on ${info.kafka.brokers.join(',')}. ` +
            'The benchmark must be the only instance of these apps (their consumer groups are fixed). ' +
            'Stop them (a test run, `npm start`), or run on a broker of its own: BENCH_STACK=private npm run bench:pipeline',
        );
      }
      if (!logged) {
        options.log(
          `waiting up to ${Math.round(options.waitMs / 1000)} s for members of ${who} to leave ` +
            "(a stopped run's members expire after their 30 s session timeout; live instances do not)",
        );
        logged = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await admin.disconnect();
  }
}

/** A scratch database dropped at the end of the run (also on Ctrl-C). */
export async function scratchDatabase(prefix: string): Promise<string> {
  const url = await createScratchDatabase(prefix);
  onCleanup(() => dropScratchDatabase(url));
  return url;
}
