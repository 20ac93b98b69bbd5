import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kafkaJarCache } from '../paths';
import { hasCommand, run } from '../process-util';
import type { StackLogger } from '../log';

const POM = join(__dirname, 'pom.xml');
const MARKER = '.assembled';

export class MissingPrerequisiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingPrerequisiteError';
  }
}

export function checkJava(): void {
  if (!hasCommand('java', ['-version'])) {
    throw new MissingPrerequisiteError(
      'java was not found on PATH. The local Kafka broker runs on the JVM (Java 17 or newer). Install it, e.g. ' +
        '`apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), ' +
        'or run with Docker instead (`docker compose up`).',
    );
  }
}

function checkMaven(): void {
  if (!hasCommand('mvn', ['-v'])) {
    throw new MissingPrerequisiteError(
      'mvn was not found on PATH. The local Kafka broker is assembled from Maven Central with Maven. Install it, e.g. ' +
        '`apt-get install -y maven` (Debian/Ubuntu) or `brew install maven` (macOS), or run with Docker instead.',
    );
  }
}

/**
 * Makes sure the broker's jars are in the cache and returns the JVM classpath. The cache is keyed by a
 * hash of the pom, so changing a dependency reassembles; an interrupted download never counts as done
 * because jars land in a temporary directory that is renamed into place only after Maven succeeded.
 */
export async function assembleKafka(log: StackLogger): Promise<string> {
  checkJava();
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 16);
  const cache = kafkaJarCache();
  const marker = join(cache, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === pomHash) {
    const jars = readdirSync(cache).filter((f) => f.endsWith('.jar')).length;
    log(`kafka: reusing ${jars} jars in ${cache}`);
    return `${cache}/*`;
  }
  checkMaven();
  mkdirSync(dirname(cache), { recursive: true });
  const staging = `${cache}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  log(`kafka: assembling Apache Kafka from Maven Central into ${cache} (first run only; ~100 jars) ...`);
  const started = Date.now();
  const result = await run(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`],
    { timeoutMs: 15 * 60_000 },
  );
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Maven could not assemble Kafka (exit ${result.code}). Is Maven Central reachable (or ~/.m2 populated)?\n` +
        `${result.stdout}\n${result.stderr}`.trim().slice(-4_000),
    );
  }
  writeFileSync(join(staging, MARKER), pomHash);
  rmSync(cache, { recursive: true, force: true });
  try {
    renameSync(staging, cache);
  } catch (error) {
    // A concurrent assembly finished first; its result is as good as ours.
    if (!existsSync(marker)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  const jars = readdirSync(cache).filter((f) => f.endsWith('.jar')).length;
  log(`kafka: assembled ${jars} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return `${cache}/*`;
}
