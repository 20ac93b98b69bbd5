/**
 * Run inside a copy of the repository (cwd = the copy) after `new:consumer` added a service there:
 * the launcher's own startStack() with that copy's topology, on the already running stack
 * (SAMVERKAN_LOCAL_DIR points at its state). It reuses the broker, adds the new SCRAM user as the
 * launcher does after the first format, applies topics and ACLs, creates the database and role, and
 * writes a stack description that includes the new principal to argv[2] (not the shared stack.json).
 * It never stops the stack.
 */
import { startStack } from '../../../deploy/local/stack';

async function main(): Promise<void> {
  const stackFile = process.argv[2];
  if (!stackFile) throw new Error('usage: provision-stack.ts <stack-file-to-write>');
  await startStack({ stackFile, log: (line) => process.stderr.write(`[provision] ${line}\n`) });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
