import { kafkaErrorType, kafkaFor, type KafkaAdminConnection } from './kafka-admin-connection';

/**
 * Probes of what a principal may do, for the ACL tests and for operations' diagnostics. They report
 * the broker's answer instead of throwing, so a caller can assert on the exact error type.
 */
export type AccessOutcome =
  | { allowed: true; messages: Array<{ partition: number; offset: string; value: string | null }> }
  | { allowed: false; errorType: string; message: string };

const denied = (error: unknown): AccessOutcome => ({
  allowed: false,
  errorType: kafkaErrorType(error) ?? 'UNKNOWN',
  message: error instanceof Error ? error.message : String(error),
});

/** Produces the given records (acks=-1) as `connection`'s principal. */
export async function probeProduce(
  connection: KafkaAdminConnection,
  topic: string,
  records: Array<{ key?: string; value: string | Buffer; headers?: Record<string, string> }>,
): Promise<AccessOutcome> {
  const producer = kafkaFor(connection).producer({ allowAutoTopicCreation: false });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: records });
    return { allowed: true, messages: [] };
  } catch (error) {
    return denied(error);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/**
 * Joins `groupId`, reads `topic` from the beginning until `expectMessages` records arrived (or, with 0,
 * until one fetch succeeded) and never commits offsets, so probing leaves the group's position alone.
 */
export async function probeConsume(
  connection: KafkaAdminConnection,
  topic: string,
  groupId: string,
  options: { expectMessages?: number; timeoutMs?: number } = {},
): Promise<AccessOutcome> {
  const expect = options.expectMessages ?? 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const consumer = kafkaFor(connection).consumer({
    groupId,
    allowAutoTopicCreation: false,
    retry: { retries: 0 },
  });
  const messages: Array<{ partition: number; offset: string; value: string | null }> = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const outcome = new Promise<AccessOutcome>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            allowed: false,
            errorType: 'PROBE_TIMEOUT',
            message: `read ${messages.length} of ${expect} records from ${topic} within ${timeoutMs} ms`,
          }),
        timeoutMs,
      );
      consumer.on(consumer.events.CRASH, (event) => resolve(denied(event.payload.error)));
      // A completed fetch (after joining the group) proves READ on the topic even when it is empty.
      if (expect === 0) consumer.on(consumer.events.FETCH, () => resolve({ allowed: true, messages }));
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            messages.push({ partition, offset: message.offset, value: message.value?.toString() ?? null });
            if (expect > 0 && messages.length >= expect) resolve({ allowed: true, messages: [...messages] });
          },
        })
        .catch((error: unknown) => resolve(denied(error)));
    });
    return await outcome;
  } catch (error) {
    return denied(error);
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
