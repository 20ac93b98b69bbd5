import { ProjectionBatch } from '../projections/projection-batch';
import { TABLE_SPECS, type ProjectionOp } from '../projections/projection-tables';

export interface RebuildWriterOptions {
  /** The schema the rows go to (the rebuild's shadow schema). */
  schema: string;
  /** Writes one batch (one transaction); called for one batch at a time per writer, in order. */
  write: (batch: ProjectionBatch) => Promise<void>;
  /** Writers working at once, each on its own share of the keys. Default 1. */
  writers?: number;
  /**
   * Rows waiting for the database (all writers together) beyond which `add` holds the replay back
   * until the writers have taken them (memory bound). Default 60,000.
   */
  maxPendingRows?: number;
}

/**
 * Writes the rebuild's projection rows behind the replay instead of in step with it.
 *
 * kafkajs fetches the next batches only after the handlers of the current ones have returned; with
 * the write inside the handler, Node decoded while Postgres waited and Postgres wrote while Node
 * waited. Here the handler only projects into pending batches and returns; each writer takes
 * everything pending for it and writes it, so while it writes, the next fetch is decoded and
 * projected (rows for the same key merged in memory, so a busy writer means bigger, fewer statements).
 *
 * With several writers, each owns the rows whose key hashes to it, so they never touch the same row and cannot deadlock, and Postgres works on more than one
 * core.
 *
 * Same result as writing each Kafka batch in turn: a writer takes its batches in the order they were
 * added, one write at a time, and the in-memory merge applies the upsert's own rules (coalesce: the
 * later value; timeline: the earliest time). Every row therefore sees the events about it in the order
 * they were read, as before. `drain()` resolves once everything added has been written; the rebuild
 * awaits it after the replay has reached its target and before each catch-up counts as done.
 */
export class RebuildWriter {
  private readonly shards: ShardWriter[];
  private readonly maxPendingPerShard: number;
  private heldBackMs = 0;

  constructor(options: RebuildWriterOptions) {
    const writers = Math.max(1, Math.floor(options.writers ?? 1));
    this.shards = Array.from({ length: writers }, () => new ShardWriter(options.schema, options.write));
    this.maxPendingPerShard = Math.max(1, Math.ceil((options.maxPendingRows ?? 60_000) / writers));
  }

  /** Adds the rows of projected events; waits only while too many rows are pending. */
  async add(ops: readonly ProjectionOp[][]): Promise<void> {
    this.throwIfFailed();
    const n = this.shards.length;
    for (const eventOps of ops) {
      for (const op of eventOps) {
        const shard = n === 1 ? this.shards[0] : this.shards[shardOf(op, n)];
        shard.pending.add([op]);
      }
    }
    for (const shard of this.shards) shard.startWriting();
    const t0 = performance.now();
    let held = false;
    for (const shard of this.shards) {
      while (shard.pending.pendingRows >= this.maxPendingPerShard && shard.writing && !shard.failure) {
        held = true;
        await shard.writing;
      }
    }
    if (held) this.heldBackMs += performance.now() - t0;
    this.throwIfFailed();
  }

  /** Resolves when everything added so far is written; rejects with the first write failure. */
  async drain(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.drain()));
    this.throwIfFailed();
  }

  /** Where the writers' time went (ms): writing (summed over writers), and holding the replay back. */
  get timings(): { writeMs: number; heldBackMs: number; writes: number; writers: number } {
    return {
      writeMs: this.shards.reduce((sum, s) => sum + s.busyMs, 0),
      heldBackMs: this.heldBackMs,
      writes: this.shards.reduce((sum, s) => sum + s.writes, 0),
      writers: this.shards.length,
    };
  }

  private throwIfFailed(): void {
    for (const shard of this.shards) if (shard.failure) throw shard.failure.error;
  }
}

/** One writer: its pending rows, and at most one write in progress. */
class ShardWriter {
  pending: ProjectionBatch;
  writing?: Promise<void>;
  failure?: { error: unknown };
  busyMs = 0;
  writes = 0;

  constructor(
    private readonly schema: string,
    private readonly write: (batch: ProjectionBatch) => Promise<void>,
  ) {
    this.pending = new ProjectionBatch(schema);
  }

  startWriting(): void {
    if (this.writing || this.failure || this.pending.pendingRows === 0) return;
    const batch = this.pending;
    this.pending = new ProjectionBatch(this.schema);
    const t0 = performance.now();
    this.writing = this.write(batch)
      .then(
        () => {
          this.writes++;
        },
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .finally(() => {
        this.busyMs += performance.now() - t0;
        this.writing = undefined;
        this.startWriting();
      });
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.failure) return;
      if (this.writing) await this.writing;
      else if (this.pending.pendingRows > 0) this.startWriting();
      else return;
    }
  }
}

/** The writer of a row: a hash (FNV-1a) of its last key column (a uuid in every table). */
function shardOf(op: ProjectionOp, writers: number): number {
  const key = TABLE_SPECS[op.table].key;
  const value = String(op.row[key[key.length - 1]]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % writers;
}
