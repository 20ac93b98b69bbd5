import { skipIdleRequestQueueChecks } from './request-queue-idle-fix';

// kafkajs's internal request queue, as the patch sees it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
};

const silent = {
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
};

function newQueue() {
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: silent,
  });
}

/** How often an idle queue looks at its (empty) pending list within `ms`, after one look. */
async function idleChecks(ms: number): Promise<number> {
  const queue = newQueue();
  const original = queue.checkPendingRequests.bind(queue);
  let calls = 0;
  queue.checkPendingRequests = () => {
    calls++;
    original();
  };
  queue.checkPendingRequests();
  await new Promise((done) => setTimeout(done, ms));
  const after = calls;
  // Stop the loop (if any) before the next test.
  queue.checkPendingRequests = () => undefined;
  if (queue.throttleCheckTimeoutId) clearTimeout(queue.throttleCheckTimeoutId);
  return after;
}

describe('skipIdleRequestQueueChecks (kafkajs#1556)', () => {
  it('stops the 1 ms timer loop of an idle request queue, and keeps the checks that have work', async () => {
    // As shipped, an empty queue re-checks itself about every millisecond, for ever. If this fails, a
    // kafkajs upgrade fixed it: drop the patch.
    expect(await idleChecks(200)).toBeGreaterThan(20);

    skipIdleRequestQueueChecks();
    skipIdleRequestQueueChecks(); // installing twice is harmless
    expect(await idleChecks(200)).toBe(1);

    // A queue with pending requests is still looked at again, and so is a throttled one.
    const waiting = newQueue();
    waiting.pending.push({});
    waiting.scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(waiting.throttleCheckTimeoutId!);

    const throttled = newQueue();
    throttled.throttledUntil = Date.now() + 50;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(throttled.throttleCheckTimeoutId!);
  });
});
