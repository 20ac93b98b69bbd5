/** One-shot `kafka-init` service of docker-compose.yml: topics and ACLs from the topology, idempotently. */
import { topology } from '@samverkan/contracts';
import { applyTopology, waitForKafka } from '@samverkan/messaging';

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const username = process.env.KAFKA_USERNAME ?? '';
  const password = process.env.KAFKA_PASSWORD ?? '';
  if (brokers.length === 0 || !username || !password) {
    throw new Error('KAFKA_BROKERS, KAFKA_USERNAME and KAFKA_PASSWORD (a super user) are required');
  }
  const connection = { brokers, username, password };
  await waitForKafka(connection, { timeoutMs: 120_000 });
  const result = await applyTopology(connection, topology);
  process.stdout.write(
    `topology applied: ${result.topics.created.length} topics created, ${result.topics.unchanged.length} unchanged, ${result.aclCount} ACL entries\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka-init failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
