import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { StackInfo } from '@samverkan/testing';
import { adminKafka } from './stack';

const FILED = 'samverkan.concern-report.filed.v1';

/**
 * Reads the reporting audience as the admin principal (a group of its own, read_committed, from the
 * end offsets at start) and records, per report id, every delivery of its concern-report.filed copy:
 * when it reached this reader and its Kafka timestamp (the router's produce time inside the
 * transaction, which is only readable after the commit).
 */
export class DeliveryCollector {
  readonly deliveries = new Map<string, Array<{ arrivedAt: number; kafkaTs: number }>>();
  private consumer?: Consumer;

  /**
   * `lazy`: only the Kafka timestamps matter, not when messages arrive here, so the reader fetches
   * rarely and in large chunks (up to 1 s or 256 KiB) instead of loading the broker it measures.
   */
  constructor(
    private readonly info: StackInfo,
    private readonly topic: string,
    private readonly options: { lazy?: boolean } = {},
  ) {}

  async start(): Promise<void> {
    const kafka = adminKafka(this.info, 'bench-pipeline-collector');
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await admin.disconnect();
    const consumer = kafka.consumer({
      groupId: `bench-pipeline-${randomUUID().slice(0, 8)}`,
      readUncommitted: false,
      // The broker answers a fetch as soon as there is something to read (minBytes 1; a transaction's
      // commit marker wakes a waiting read_committed fetch), so a long wait costs no arrival-time
      // precision. It only bounds the fetches of an idle reader: with 20 ms, this reader made half of
      // all the broker's requests in a run (its request log), each ~1 ms of the broker's CPU here.
      ...(this.options.lazy ? { maxWaitTimeInMs: 1000, minBytes: 256 * 1024 } : { maxWaitTimeInMs: 500 }),
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    let seeked = false;
    const joined = new Promise<void>((done) => consumer.on(consumer.events.GROUP_JOIN, () => done()));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const arrivedAt = Date.now();
        for (const m of batch.messages) {
          const type = m.headers?.ce_type?.toString();
          if (type !== FILED || !m.value) continue;
          let id: string | undefined;
          try {
            id = (JSON.parse(m.value.toString('utf8')) as { reportId?: string }).reportId;
          } catch {
            continue;
          }
          if (!id) continue;
          const list = this.deliveries.get(id) ?? [];
          list.push({ arrivedAt, kafkaTs: Number(m.timestamp) });
          this.deliveries.set(id, list);
        }
      },
    });
    await joined;
    if (!seeked) {
      for (const p of ends) consumer.seek({ topic: this.topic, partition: p.partition, offset: p.offset });
      seeked = true;
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}
