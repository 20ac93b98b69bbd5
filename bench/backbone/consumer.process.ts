/**
 * The consuming service of the backbone bench, in a process of its own as in a deployment (the
 * publishing service runs the outbox and relay; the consuming service runs the consumer kit).
 * Started by pipeline.ts with fork(); reads its settings from BENCH_CONSUMER (JSON), says 'ready'
 * once the group has started, and stops on 'stop'.
 */
import {
  createKafkaClient,
  InboxConsumer,
  type RawBatchEventHandler,
  type RawEventHandler,
} from '@samverkan/messaging';
import { DataSource } from 'typeorm';

export interface ConsumerProcessSettings {
  databaseUrl: string;
  brokers: string[];
  sasl: { username: string; password: string };
  topic: string;
  dlqTopic: string;
  groupId: string;
  effectTable: string;
  transactionChunkSize: number;
  partitionsConsumedConcurrently: number;
  poolSize: number;
  /** `batch`: one multi-row INSERT per run of events (the kit's batch handler); `single`: one per event. */
  handler: 'batch' | 'single';
}

type Timed = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * BENCH_CONSUMER_TRACE=1: wall time spent in the kit's stages (decode + validation, the chunk's DB
 * transaction, the whole batch incl. offset commits), printed at stop. Wraps the prototype from here,
 * so the kit itself carries no bench code.
 */
function trace(): () => string {
  const totals = new Map<string, { ms: number; calls: number; items: number }>();
  const proto = InboxConsumer.prototype as unknown as Timed;
  for (const name of ['prepare', 'applyChunk', 'handleBatch']) {
    const original = proto[name];
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const entry = totals.get(name) ?? { ms: 0, calls: 0, items: 0 };
        entry.ms += performance.now() - started;
        entry.calls += 1;
        const first = args[0] as { batch?: { messages: unknown[] } } | unknown[];
        entry.items += Array.isArray(first) ? first.length : (first.batch?.messages.length ?? 1);
        totals.set(name, entry);
      }
    };
  }
  return () =>
    [...totals]
      .map(
        ([name, t]) =>
          `${name}: ${t.calls} calls, ${t.items} items, ${Math.round(t.ms)} ms (${(t.ms / t.items).toFixed(2)} ms/item)`,
      )
      .join('; ');
}

async function main(): Promise<void> {
  const report = process.env.BENCH_CONSUMER_TRACE === '1' ? trace() : undefined;
  const settings = JSON.parse(process.env.BENCH_CONSUMER ?? '{}') as ConsumerProcessSettings;
  const dataSource = new DataSource({
    type: 'postgres',
    url: settings.databaseUrl,
    extra: { max: settings.poolSize },
    logging: false,
  });
  await dataSource.initialize();
  const kafka = createKafkaClient({
    brokers: settings.brokers,
    clientId: 'samverkan-bench-consumer',
    sasl: settings.sasl,
  });
  const handler: RawEventHandler = async (event, context) => {
    await context.manager.query(`INSERT INTO ${settings.effectTable} (event_id, subject) VALUES ($1, $2)`, [
      event.id,
      event.subject,
    ]);
  };
  const batchHandler: RawBatchEventHandler = async (events, context) => {
    await context.manager.query(
      `INSERT INTO ${settings.effectTable} (event_id, subject) SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [events.map((e) => e.id), events.map((e) => e.subject)],
    );
  };
  const consumer = new InboxConsumer({
    kafka,
    dataSource,
    groupId: settings.groupId,
    topics: [settings.topic],
    deadLetterTopic: settings.dlqTopic,
    resolveHandler: (type) => (type === 'samverkan.concern-report.filed.v1' ? handler : undefined),
    resolveBatchHandler: (type) =>
      settings.handler === 'batch' && type === 'samverkan.concern-report.filed.v1' ? batchHandler : undefined,
    transactionChunkSize: settings.transactionChunkSize,
    partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
  });
  await consumer.start();
  process.send?.('ready');
  process.on('message', (message) => {
    if (message !== 'stop') return;
    if (report) process.stdout.write(`[bench consumer] ${report()}\n`);
    void consumer
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench consumer] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
