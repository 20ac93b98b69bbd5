/**
 * npm run new:consumer -- <name> [--webhook]
 *
 * Scaffolds a consumer of the hub: apps/<name> on the consumer kit, its audience in the topology
 * (topic, principal, ACLs, consumer group and dead-letter topic follow from it) and its sharing-policy
 * column with every event withheld, and its entries in docker-compose.yml and the images' seed scripts.
 * With --webhook the app has no handlers of its own: it posts every event of the audience to the
 * subscriber's WEBHOOK_URL (@samverkan/webhooks). See docs/adding-a-consumer.md for the next steps.
 */
import { resolve } from 'node:path';
import { EVENT_TYPES, SERVICES } from '@samverkan/contracts';
import { NewConsumerError } from './consumer-name';
import { generateConsumer } from './generate-consumer';

function main(): void {
  const args = process.argv.slice(2);
  const webhook = args.includes('--webhook');
  const names = args.filter((a) => a !== '--webhook');
  const name = names[0];
  if (!name || names.length > 1 || name.startsWith('-')) {
    console.error(
      'usage: npm run new:consumer -- <name> [--webhook]   (lowercase kebab case, e.g. youth-clinic;\n' +
        '       --webhook: deliver the audience to an HTTPS webhook instead of handling it in the app)',
    );
    process.exitCode = 2;
    return;
  }
  const root = resolve(__dirname, '..', '..');
  const result = generateConsumer({
    root,
    name,
    existingServices: SERVICES,
    eventTypes: EVENT_TYPES,
    delivery: webhook ? 'webhook' : 'kafka',
  });
  for (const file of result.created) console.log(`created  ${file}`);
  for (const file of result.edited) console.log(`edited   ${file}`);
  console.log(
    `\nNext: restart the stack (npm run stack) so it creates the ${name} principal, topic, ACLs and database;\n` +
      `run its test: npx jest --config jest.config.ts apps/${name} --selectProjects e2e\n` +
      (webhook ? `set WEBHOOK_URL and the secret in apps/${name}/local.env and docker-compose.yml;\n` : '') +
      `then propose its first sharing rules for review (docs/adding-a-consumer.md).`,
  );
}

try {
  main();
} catch (error: unknown) {
  if (error instanceof NewConsumerError) {
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
