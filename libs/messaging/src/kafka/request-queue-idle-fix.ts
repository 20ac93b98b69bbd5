/**
 * kafkajs 2.2.4 keeps every broker connection's request queue busy forever: after a request, the
 * queue re-arms a timer to look at its pending requests, and with none pending and no throttle in
 * force the delay it computes is negative, so the timer fires after 1 ms and re-arms itself
 * (tulios/kafkajs#1556, the fix proposed in #1667, unreleased). Each producer, consumer and admin
 * connection thus runs a 1 kHz timer loop, idle or not. Nothing is pending, so there is nothing to
 * look at: a request that cannot go out at once is queued by `push`, which arms the timer itself,
 * and one that waits for a free in-flight slot is sent when a response frees it.
 *
 * This skips exactly that case (empty queue, no throttle) and leaves every other path of the queue
 * as kafkajs wrote it. It patches the prototype of kafkajs's internal RequestQueue, once per process;
 * `skipIdleRequestQueueChecks` throws at start-up if a kafkajs upgrade has moved it, and a unit test
 * checks that the loop is gone.
 */

const PATCHED = Symbol.for('samverkan.kafkajs.requestQueue.idleFix');

interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

type RequestQueueClass = { prototype: RequestQueueInternals & { [PATCHED]?: true } };

export function skipIdleRequestQueueChecks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;
  const proto = RequestQueue?.prototype;
  const original = (proto &&
    Object.getOwnPropertyDescriptor(proto, 'scheduleCheckPendingRequests')?.value) as
    ((this: RequestQueueInternals) => void) | undefined;
  if (typeof original !== 'function') {
    throw new Error(
      'kafkajs RequestQueue.scheduleCheckPendingRequests not found: the kafkajs version changed; review request-queue-idle-fix.ts',
    );
  }
  if (proto[PATCHED]) return;
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals) {
    if (this.pending.length === 0 && !(this.throttledUntil > Date.now())) return;
    original.call(this);
  };
  proto[PATCHED] = true;
}
