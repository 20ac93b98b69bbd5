/**
 * npm run new:consumer -- <name>
 *
 * Scaffolds a consumer of the hub: apps/<name> on the consumer kit, its audience in the topology
 * (topic, principal, ACLs, consumer group and dead-letter topic follow from it) and its sharing-policy
 * column with every event withheld. See docs/adding-a-consumer.md for the steps after this one.
 */
import { resolve } from 'node:path';
import { EVENT_TYPES, SERVICES } from '@samverkan/contracts';
import { NewConsumerError } from './consumer-name';
import { generateConsumer } from './generate-consumer';

function main(): void {
  const name = process.argv[2];
  if (!name || process.argv.length > 3) {
    console.error('usage: npm run new:consumer -- <name>   (lowercase kebab case, e.g. youth-clinic)');
    process.exitCode = 2;
    return;
  }
  const root = resolve(__dirname, '..', '..');
  const result = generateConsumer({ root, name, existingServices: SERVICES, eventTypes: EVENT_TYPES });
  for (const file of result.created) console.log(`created  ${file}`);
  for (const file of result.edited) console.log(`edited   ${file}`);
  console.log(
    `\nNext: restart the stack (npm run stack) so it creates the ${name} principal, topic, ACLs and database;\n` +
      `run its test: npx jest --config jest.config.ts --selectProjects e2e apps/${name}\n` +
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
