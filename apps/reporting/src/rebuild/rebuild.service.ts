import { audienceTopic, consumerGroupOf, type KafkaHeaderValue } from '@samverkan/contracts';
import {
  TopicReplay,
  type PartitionOffsets,
  type ReplayedMessage,
  type TopicReplayOptions,
} from '@samverkan/messaging';
import type { DataSource, QueryRunner } from 'typeorm';
import { PROJECTION_TABLES, type ProjectionOp } from '../projections/projection-tables';
import { PROJECTED_TYPES, projectEvent } from '../projections/project-event';
import { RebuildWriter } from './rebuild-writer';

export const REBUILD_SCHEMA = 'reporting_rebuild';

export interface RebuildProgress {
  done: number;
  total: number;
  eventsPerSecond: number;
  /** Seconds left at the current rate; null before there is a rate. */
  etaSeconds: number | null;
}

export interface RebuildOptions {
  kafka: TopicReplayOptions['kafka'];
  dataSource: DataSource;
  /** Default samverkan.audience.reporting; the benchmark points it at its own topic. */
  topic?: string;
  /** Default `reporting.rebuild.<epoch ms>` (the reporting principal may use that prefix). */
  groupId?: string;
  onProgress?: (progress: RebuildProgress) => void;
  progressIntervalMs?: number;
  /** Database writers working at once behind the replay, each on its own share of the keys. Default 2. */
  writers?: number;
}

export interface RebuildSummary {
  groupId: string;
  /** Messages read from the topic (replay and catch-up). */
  events: number;
  /** Events that carried a projection-relevant type and were applied. */
  projected: number;
  /** Messages without the CloudEvents headers or JSON a projection needs (skipped). */
  skipped: number;
  replayMs: number;
  /** Building the secondary indexes on the new tables after the bulk load. */
  indexMs: number;
  switchOverMs: number;
  /**
   * Where the time went while replaying. decodeAndProjectMs: reading headers, JSON and projecting
   * (synchronous, on the one Node thread); writeMs: the writers' database writes (summed over the
   * writers, each one write at a time, behind the replay); heldBackMs: the replay waiting for the writer (too many rows pending).
   */
  timings: {
    decodeAndProjectMs: number;
    writeMs: number;
    heldBackMs: number;
    writes: number;
    writers: number;
  };
}

/**
 * Rebuilds reporting's projections from its audience topic:
 *
 * 1. fresh, empty copies of the projection tables in schema `reporting_rebuild` (same columns,
 *    primary keys and index names as the live ones; secondary indexes are built after the bulk load);
 * 2. the topic replayed from the beginning under a fresh consumer group up to the end offsets taken
 *    at the start, each Kafka batch projected in memory and written behind the replay with one
 *    upsert per table (rebuild-writer.ts: the next batches are decoded while the last are written);
 * 3. switch-over, in one transaction: lock the live tables (the live consumer and statistics wait),
 *    catch up to the end offsets of that moment, drop the live tables and move the new ones in.
 *
 * Why no event is lost or counted twice: every projection is an idempotent, order-insensitive upsert
 * keyed by a natural id. Everything the live consumer had applied before the lock is at most the
 * catch-up end offsets, so the new tables hold it; whatever it applies after the switch (again or
 * for the first time) lands on the new tables with the same result.
 *
 * The fast path skips class-validator: audience topics are written only by the router, which
 * validates every event against its contract before routing it, and reporting's live consumer
 * would dead-letter anything invalid anyway (so projections never include it). Messages without the
 * headers and JSON the projections read are counted as skipped.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildSummary> {
  const { dataSource } = options;
  const groupId = options.groupId ?? `${consumerGroupOf('reporting')}.rebuild.${Date.now()}`;
  const topic = options.topic ?? audienceTopic('reporting');
  let decodeAndProjectMs = 0;
  let projected = 0;
  let skipped = 0;

  await createShadowTables(dataSource);

  const writer = new RebuildWriter({
    schema: REBUILD_SCHEMA,
    writers: options.writers ?? 2,
    // One transaction per write, committed without waiting for the WAL flush: a crash mid-rebuild
    // means starting over anyway (the copies are discarded), and the switch-over commits synchronously.
    write: (batch) =>
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL synchronous_commit = off`);
        await batch.flush(manager);
      }),
  });
  const replay = new TopicReplay({
    kafka: options.kafka,
    topic,
    groupId,
    onBatch: async (messages) => {
      const t0 = performance.now();
      const ops: ProjectionOp[][] = [];
      for (const message of messages) {
        // Types no projection reads (attendance, consents, places-available: many of them) are
        // passed over before their JSON is parsed.
        const type = header(message.headers, 'ce_type');
        if (type !== undefined && !PROJECTED_TYPES.has(type)) continue;
        const event = readEvent(message, type);
        if (!event) {
          skipped++;
          continue;
        }
        const eventOps = projectEvent(event);
        if (eventOps.length > 0) {
          projected++;
          ops.push(eventOps);
        }
      }
      decodeAndProjectMs += performance.now() - t0;
      await writer.add(ops);
    },
  });
  // Every message up to the targets handed to onBatch (the replay) and written (the writer).
  const reachedAndWritten = async (targets: PartitionOffsets) => {
    await replay.reached(targets);
    await writer.drain();
  };

  const started = Date.now();
  const targets = await replay.endOffsets();
  const total = TopicReplay.span(targets);
  const lows = new Map([...targets].map(([p, o]) => [p, o.low] as const));
  const report = () => {
    const done = Math.min(total, doneSoFar(replay.positions(), lows));
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    options.onProgress?.({
      done,
      total,
      eventsPerSecond: rate,
      etaSeconds: rate > 0 ? Math.max(0, (total - done) / rate) : null,
    });
  };
  const timer = options.onProgress ? setInterval(report, options.progressIntervalMs ?? 500) : undefined;

  let replayMs = 0;
  let indexMs = 0;
  let switchOverMs = 0;
  try {
    await replay.start();
    await reachedAndWritten(targets);
    replayMs = Date.now() - started;
    report();
    const indexStarted = Date.now();
    await createSecondaryIndexes(dataSource);
    indexMs = Date.now() - indexStarted;
    const switchStarted = Date.now();
    await switchOver(dataSource, () => replay.endOffsets(), reachedAndWritten);
    switchOverMs = Date.now() - switchStarted;
  } catch (error) {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`).catch(() => undefined);
    throw error;
  } finally {
    if (timer) clearInterval(timer);
    await replay.stop();
  }
  return {
    groupId,
    events: replay.messagesConsumed,
    projected,
    skipped,
    replayMs,
    indexMs,
    switchOverMs,
    timings: { decodeAndProjectMs, ...writer.timings },
  };
}

function doneSoFar(positions: Map<number, bigint>, lows: Map<number, bigint>): number {
  let done = 0n;
  for (const [partition, next] of positions) done += next - (lows.get(partition) ?? 0n);
  return Number(done);
}

function header(headers: Record<string, KafkaHeaderValue>, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

function readEvent(message: ReplayedMessage, type: string | undefined) {
  const id = header(message.headers, 'ce_id');
  const subject = header(message.headers, 'ce_subject');
  const municipality = header(message.headers, 'ce_municipality');
  if (!type || !id || !subject || !municipality || !message.value) return undefined;
  try {
    return { id, type, subject, municipality, data: JSON.parse(message.value.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

interface IndexDef {
  table: string;
  name: string;
  definition: string;
  primary: boolean;
}

async function liveIndexes(db: DataSource | QueryRunner): Promise<IndexDef[]> {
  const rows: Array<{ table: string; name: string; definition: string; primary: boolean }> = await db.query(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, x.indisprimary AS primary
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname = ANY($1)`,
    [[...PROJECTION_TABLES]],
  );
  return rows;
}

/** Empty copies of the live tables: columns, NOT NULLs and defaults, and the primary key by its live name. */
async function createShadowTables(dataSource: DataSource): Promise<void> {
  await dataSource.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
  await dataSource.query(`CREATE SCHEMA ${REBUILD_SCHEMA}`);
  const indexes = await liveIndexes(dataSource);
  for (const table of PROJECTION_TABLES) {
    await dataSource.query(
      `CREATE TABLE ${REBUILD_SCHEMA}."${table}" (LIKE public."${table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const pk = indexes.find((i) => i.table === table && i.primary);
    if (!pk) throw new Error(`projection table ${table} has no primary key`);
    const rows: Array<{ def: string }> = await dataSource.query(
      `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
        WHERE c.conrelid = ('public."' || $1 || '"')::regclass AND c.contype = 'p'`,
      [table],
    );
    // Index names are per schema, so the copy can carry the live name and keep it after the move.
    await dataSource.query(
      `ALTER TABLE ${REBUILD_SCHEMA}."${table}" ADD CONSTRAINT "${pk.name}" ${rows[0].def}`,
    );
  }
}

/** The live secondary indexes, same names, on the copies: built once after the bulk load. */
async function createSecondaryIndexes(dataSource: DataSource): Promise<void> {
  for (const index of await liveIndexes(dataSource)) {
    if (index.primary) continue;
    const definition = index.definition.replace(` ON public.`, ` ON ${REBUILD_SCHEMA}.`);
    if (definition === index.definition)
      throw new Error(`cannot place index ${index.name} in the rebuild schema`);
    await dataSource.query(definition);
  }
}

async function switchOver(
  dataSource: DataSource,
  endOffsets: () => Promise<PartitionOffsets>,
  reached: (targets: PartitionOffsets) => Promise<void>,
): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const live = PROJECTION_TABLES.map((t) => `public."${t}"`).join(', ');
    await runner.query(`LOCK TABLE ${live} IN ACCESS EXCLUSIVE MODE`);
    // Nothing can be applied to the live tables now; catch the copies up to this moment's end.
    await reached(await endOffsets());
    for (const table of PROJECTION_TABLES) {
      await runner.query(`DROP TABLE public."${table}"`);
      await runner.query(`ALTER TABLE ${REBUILD_SCHEMA}."${table}" SET SCHEMA public`);
    }
    await runner.query(`DROP SCHEMA ${REBUILD_SCHEMA}`);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}
