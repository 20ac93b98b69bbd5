import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CE_HEADERS, dlqTopic, encodeCloudEvent, ROUTER_TRANSACTIONAL_ID_PREFIX } from '@samverkan/contracts';
import { eventually } from '@samverkan/testing';
import type { Kafka, Producer } from 'kafkajs';
import { DLQ_HEADERS, TransactionalProcessor, TransientError, type ProcessorBatch } from '../src';
import {
  adminKafka,
  collectTopics,
  committedOffsets,
  createTopics,
  deleteTopics,
  filedEvent,
  runFixture,
  uniqueName,
} from './messaging-test-kit';

jest.setTimeout(180_000);

describe('transactional consume-transform-produce (real Kafka)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let input: string;
  let outA: string;
  let outB: string;
  let group: string;

  beforeEach(async () => {
    kafka = adminKafka();
    const id = uniqueName('ctp');
    input = `samverkan.test.${id}.in`;
    outA = `samverkan.test.${id}.out-a`;
    outB = `samverkan.test.${id}.out-b`;
    group = uniqueName('ctp-group');
    await createTopics(kafka, [
      { name: input, partitions: 2 },
      { name: outA, partitions: 2 },
      { name: outB, partitions: 2 },
      { name: dlqTopic(group), partitions: 1 },
    ]);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterEach(async () => {
    await producer?.disconnect();
    await deleteTopics(kafka, [input, outA, outB, dlqTopic(group)]);
  });

  it('writes zero or more outputs per input and dead letters in the transaction that commits the offsets', async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      filedEvent(i % 2 === 0 ? `both-${i % 3}` : `a-only-${i % 3}`, i),
    );
    const flaky = filedEvent('flaky', 99);
    const invalid = encodeCloudEvent(filedEvent('invalid', 98));
    await producer.send({
      topic: input,
      acks: -1,
      messages: [
        ...events.map((e) => encodeCloudEvent(e)),
        encodeCloudEvent(flaky),
        { ...invalid, headers: { ...invalid.headers, ce_time: 'yesterday' } },
      ],
    });
    const flakyAttempts: number[] = [];
    const committedBatches: ProcessorBatch[] = [];
    const processor = new TransactionalProcessor({
      kafka,
      groupId: group,
      topics: [input],
      transactionalId: `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${uniqueName('test')}`,
      retry: { attempts: 3, baseMs: 10, capMs: 20 },
      beforeCommit: async (batches) => {
        committedBatches.push(...batches);
      },
      transform: ({ event, attempt }) => {
        if (event.subject === 'flaky') {
          flakyAttempts.push(attempt);
          if (attempt === 1) throw new TransientError('policy store not ready');
        }
        const copy = { ...event, legalbasis: 'test basis' };
        return event.subject.startsWith('both-')
          ? [
              { topic: outA, event: copy },
              { topic: outB, event: copy },
            ]
          : [{ topic: outA, event: copy }];
      },
    });
    const outputs = await collectTopics(kafka, [outA, outB, dlqTopic(group)]);
    await processor.start();
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, input)).toBe(14), {
        describe: 'offsets committed through the transactions',
      });
      const both = events.filter((e) => e.subject.startsWith('both-')).length;
      await eventually(() => expect(outputs.messages).toHaveLength(events.length + 1 + both + 1), {
        describe: 'all outputs and the dead letter',
      });
    } finally {
      await processor.stop();
      await outputs.close();
    }
    const onA = outputs.messages.filter((m) => m.topic === outA).map((m) => m.headers[CE_HEADERS.id]);
    const onB = outputs.messages.filter((m) => m.topic === outB).map((m) => m.headers[CE_HEADERS.id]);
    expect(onA.sort()).toEqual([...events, flaky].map((e) => e.id).sort());
    expect(onB.sort()).toEqual(
      events
        .filter((e) => e.subject.startsWith('both-'))
        .map((e) => e.id)
        .sort(),
    );
    expect(
      outputs.messages
        .filter((m) => m.topic === outA)
        .every((m) => m.headers[CE_HEADERS.legalbasis] === 'test basis'),
    ).toBe(true);
    expect(flakyAttempts).toEqual([1, 2]);
    // The hook ran before each transaction's commit, for the input partitions only.
    expect(committedBatches.length).toBeGreaterThan(0);
    expect(committedBatches.every((b) => b.topic === input && (b.partition === 0 || b.partition === 1))).toBe(
      true,
    );
    const [letter] = outputs.messages.filter((m) => m.topic === dlqTopic(group));
    expect(letter.headers).toMatchObject({
      [DLQ_HEADERS.originalTopic]: input,
      [DLQ_HEADERS.reason]: 'invalid-message',
      [DLQ_HEADERS.errorClass]: 'ContractViolation',
      [DLQ_HEADERS.errorCode]: 'ENVELOPE_INVALID',
    });
  });

  it('a beforeCommit that fails aborts the transaction: what was sent meanwhile never shows, and the batches are redone', async () => {
    const events = Array.from({ length: 8 }, (_, i) => filedEvent(`child-${i % 4}`, i));
    await producer.send({ topic: input, acks: -1, messages: events.map((e) => encodeCloudEvent(e)) });
    let calls = 0;
    let aborted = 0;
    const processor = new TransactionalProcessor({
      kafka,
      groupId: group,
      topics: [input],
      transactionalId: `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${uniqueName('test')}`,
      // The first hook fails only after the outputs and offsets, sent at the same time, had time to
      // reach the broker: they are in the transaction that aborts.
      beforeCommit: async () => {
        calls++;
        if (calls === 1) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          throw new TransientError('disclosure log not written');
        }
      },
      onAbort: () => {
        aborted++;
      },
      transform: ({ event }) => [{ topic: outA, event: { ...event, legalbasis: 'test basis' } }],
    });
    const outputs = await collectTopics(kafka, [outA]);
    await processor.start();
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, input)).toBe(events.length), {
        describe: 'offsets committed after the redo',
      });
      await eventually(() => expect(outputs.messages).toHaveLength(events.length), {
        describe: 'every output, once',
      });
      // Anything of the aborted transaction would have shown up by now next to the redone outputs.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await processor.stop();
      await outputs.close();
    }
    expect(aborted).toBeGreaterThanOrEqual(1);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(outputs.messages.map((m) => m.headers[CE_HEADERS.id]).sort()).toEqual(
      events.map((e) => e.id).sort(),
    );
  });

  it('a processor SIGKILLed mid-batch and restarted with the same transactional id writes each output exactly once', async () => {
    const events = Array.from({ length: 30 }, (_, i) => filedEvent(`child-${i % 6}`, i));
    await producer.send({ topic: input, acks: -1, messages: events.map((e) => encodeCloudEvent(e)) });
    const dir = mkdtempSync(join(tmpdir(), 'ctp-kill-'));
    const progress = join(dir, 'progress');
    const env = {
      INPUT: input,
      OUTPUT: outA,
      GROUP: group,
      TXID: `${ROUTER_TRANSACTIONAL_ID_PREFIX}.${uniqueName('kill')}`,
      PROGRESS_FILE: progress,
    };
    const lines = (): string[] =>
      existsSync(progress) ? readFileSync(progress, 'utf8').trim().split('\n') : [];
    const first = runFixture('processor.fixture.ts', { ...env, SLOW_MS: '100' });
    try {
      await eventually(() => expect(lines().length).toBeGreaterThanOrEqual(5), {
        describe: 'the first processor half-way through a batch',
        timeoutMs: 60_000,
        dump: first.output,
      });
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    expect(lines().length).toBeLessThan(events.length);

    const outputs = await collectTopics(kafka, [outA]);
    const uncommitted = await collectTopics(kafka, [outA], { readUncommitted: true });
    const second = runFixture('processor.fixture.ts', env);
    try {
      await eventually(async () => expect(await committedOffsets(kafka, group, input)).toBe(events.length), {
        describe: 'the restarted processor past every input',
        timeoutMs: 90_000,
        dump: second.output,
      });
      await eventually(() => expect(outputs.messages.length).toBeGreaterThanOrEqual(events.length), {
        describe: 'every output visible to read_committed',
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      await outputs.close();
      await uncommitted.close();
    }
    const ids = outputs.messages.map((m) => m.headers[CE_HEADERS.id]);
    expect(ids.sort()).toEqual(events.map((e) => e.id).sort());
    // Some inputs were transformed twice (before and after the kill) and their first outputs reached the
    // topic inside the transaction the kill left open; the restart aborted it, so read_committed readers
    // see each output once while a read_uncommitted reader also sees the aborted copies.
    expect(lines().length).toBeGreaterThan(events.length);
    expect(uncommitted.messages.length).toBeGreaterThan(events.length);
  });
});
