import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What a started stack looks like to its users (apps, tests, tools): written to `.local/stack.json`,
 * returned by `loadStackInfo()` from @samverkan/testing.
 */
export interface KafkaCredentials {
  username: string;
  password: string;
}

export interface StackInfo {
  kafka: {
    brokers: string[];
    mechanism: 'scram-sha-256';
    admin: KafkaCredentials;
    /** One per service in the topology, keyed by service name. */
    principals: Record<string, KafkaCredentials>;
  };
  postgres: {
    host: string;
    port: number;
    adminUrl: string;
    /** One per service in the topology, keyed by service name. */
    databases: Record<string, { database: string; username: string; password: string; url: string }>;
  };
  /** Where the stack came from: the local launcher, testcontainers, or variables the caller set. */
  provider: 'local' | 'testcontainers' | 'env';
  /** Log files worth opening when something fails (local provider only). */
  logs?: { kafka?: string; postgres?: string };
}

export function writeStackInfo(file: string, info: StackInfo): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

export function readStackInfo(file: string): StackInfo | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
}
