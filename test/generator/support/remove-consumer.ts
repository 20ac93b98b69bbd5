import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audienceTopic, consumerGroupOf, dlqTopic, type PrincipalSpec } from '@samverkan/contracts';
import { aclEntriesFor, withKafkaAdmin } from '@samverkan/messaging';
import { Client } from 'pg';
import { pgName } from '../../../deploy/local/credentials';
import { assembleKafka } from '../../../deploy/local/kafka/kafka-assembly';
import { run } from '../../../deploy/local/process-util';
import type { StackInfo } from '../../../deploy/local/stack-info';

/** The principal the topology gives a consumer service (see principalFor in topology.ts). */
export function consumerPrincipal(name: string): PrincipalSpec {
  const group = consumerGroupOf(name);
  return {
    service: name as PrincipalSpec['service'],
    username: name,
    consumerGroups: [group],
    acls: [
      {
        resourceType: 'topic',
        patternType: 'literal',
        resourceName: audienceTopic(name),
        operations: ['read', 'describe'],
      },
      {
        resourceType: 'group',
        patternType: 'literal',
        resourceName: group,
        operations: ['read', 'describe'],
      },
      {
        resourceType: 'topic',
        patternType: 'literal',
        resourceName: dlqTopic(group),
        operations: ['write', 'describe'],
      },
    ],
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Takes a generated consumer back off the shared local stack: its topics, ACLs, consumer group,
 * database and role, and its SCRAM user (with Kafka's ConfigCommand, as the launcher adds users).
 * Each step is attempted; the failures are returned, not thrown, so one does not hide the others.
 */
export async function removeConsumerFromStack(
  info: StackInfo,
  localDir: string,
  name: string,
): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  const admin = { brokers: info.kafka.brokers, ...info.kafka.admin };
  await attempt('consumer group', () =>
    withKafkaAdmin(admin, async (a) => {
      const { groups } = await a.listGroups();
      if (groups.some((g) => g.groupId === consumerGroupOf(name)))
        await a.deleteGroups([consumerGroupOf(name)]);
    }),
  );
  await attempt('topics', () =>
    withKafkaAdmin(admin, async (a) => {
      const existing = new Set(await a.listTopics());
      const topics = [audienceTopic(name), dlqTopic(consumerGroupOf(name))].filter((t) => existing.has(t));
      if (topics.length > 0) await a.deleteTopics({ topics });
    }),
  );
  await attempt('ACLs', () =>
    withKafkaAdmin(admin, (a) => a.deleteAcls({ filters: aclEntriesFor(consumerPrincipal(name)) })),
  );
  await attempt('database', async () => {
    const client = new Client({ connectionString: info.postgres.adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${ident(pgName(name))} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${ident(pgName(name))}`);
    } finally {
      await client.end();
    }
  });
  await attempt('SCRAM user', async () => {
    const kafkaDir = join(localDir, 'kafka');
    const classpath = await assembleKafka(() => undefined);
    const result = await run(
      'java',
      [
        '-Xmx256m',
        '-cp',
        classpath,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        info.kafka.brokers[0],
        '--command-config',
        join(kafkaDir, 'admin.properties'),
        '--alter',
        '--delete-config',
        'SCRAM-SHA-256',
        '--entity-type',
        'users',
        '--entity-name',
        name,
      ],
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0)
      throw new Error(`ConfigCommand exit ${result.code}: ${result.stderr.slice(0, 500)}`);
    // The launcher's record of created users, so a later consumer of the same name is created again.
    const usersFile = join(kafkaDir, 'scram-users.json');
    if (existsSync(usersFile)) {
      const users = (JSON.parse(readFileSync(usersFile, 'utf8')) as string[]).filter((u) => u !== name);
      writeFileSync(usersFile, JSON.stringify(users, null, 2));
    }
  });
  return failures;
}
