import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackInfo } from '../../../../deploy/local/stack-info';

export type { StackInfo, KafkaCredentials } from '../../../../deploy/local/stack-info';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
export const DEFAULT_STACK_FILE = join(repoRoot, '.local', 'stack.json');

/**
 * The running stack, as the global setup (or `npm run stack`) left it: SAMVERKAN_STACK_FILE if set,
 * else .local/stack.json. Throws with what to do when there is none; never returns a half-filled object.
 */
export function loadStackInfo(): StackInfo {
  const file = process.env.SAMVERKAN_STACK_FILE ?? DEFAULT_STACK_FILE;
  if (!existsSync(file)) {
    throw new Error(
      `No stack description at ${file}. Int/e2e tests get it from the jest global setup ` +
        '(libs/testing/src/infra/global-setup.ts); outside jest run `npm run stack` first, ' +
        'or set SAMVERKAN_STACK_FILE to a stack.json.',
    );
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  if (!info.kafka?.brokers?.length || !info.postgres?.adminUrl) {
    throw new Error(
      `${file} is not a complete stack description (kafka.brokers and postgres.adminUrl are required)`,
    );
  }
  return info;
}

/** Connection settings for @samverkan/messaging admin helpers, as a service's principal or as admin. */
export function kafkaConnectionFor(
  info: StackInfo,
  service?: string,
): { brokers: string[]; username: string; password: string; mechanism: 'scram-sha-256' } {
  const credentials = service === undefined ? info.kafka.admin : info.kafka.principals[service];
  if (!credentials) throw new Error(`The stack has no Kafka principal for "${service}"`);
  return { brokers: info.kafka.brokers, mechanism: info.kafka.mechanism, ...credentials };
}
