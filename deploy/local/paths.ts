import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const KAFKA_VERSION = '3.9.1';

/** Repository root, whether this file runs from deploy/local (ts-node) or dist/deploy/local. */
export const repoRoot = (): string => {
  const here = resolve(__dirname, '..', '..');
  return here.endsWith(join('dist')) ? resolve(here, '..') : here;
};

/** Per-checkout state: data directories, logs, pid files and stack.json. */
export const localDir = (): string => process.env.SAMVERKAN_LOCAL_DIR ?? join(repoRoot(), '.local');

/** Kafka jars are shared by every checkout on the machine, so a fresh clone does not download them again. */
export const kafkaJarCache = (): string =>
  process.env.SAMVERKAN_KAFKA_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'samverkan', `kafka-${KAFKA_VERSION}`);

export const stackFile = (): string => process.env.SAMVERKAN_STACK_FILE ?? join(localDir(), 'stack.json');
