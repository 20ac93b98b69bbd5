import { ProjectionBatch } from '../projections/projection-batch';
import type { ProjectionOp } from '../projections/projection-tables';

export interface RebuildWriterOptions {
  /** The schema the rows go to (the rebuild's shadow schema). */
  schema: string;
  /** Writes one batch (one transaction); called for one batch at a time, in order. */
  write: (batch: ProjectionBatch) => Promise<void>;
  /**
   * Rows waiting for the database beyond which `add` holds the replay back until the writer has
   * taken them (memory bound). Default 150,000.
   */
  maxPendingRows?: number;
}

/**
 * Writes the rebuild's projection rows behind the replay instead of in step with it.
 *
 * kafkajs fetches the next batches only after the handlers of the current ones have returned; with
 * the write inside the handler, Node decoded while Postgres waited and Postgres wrote while Node
 * waited. Here the handler only projects into the pending batch and returns; one writer at a time
 * takes everything pending and writes it, so while it writes, the next fetch is decoded and projected
 * into a new pending batch (rows for the same key merged in memory, so a busy writer means bigger,
 * fewer statements).
 *
 * Same result as writing each Kafka batch in turn: batches are taken in the order they were added,
 * one write at a time, and the in-memory merge applies the upsert's own rules (coalesce: the later
 * value; timeline: the earliest time). Events of one partition therefore reach the database in
 * offset order, as before. `drain()` resolves once everything added has been written; the rebuild
 * awaits it after the replay has reached its target and before each catch-up counts as done.
 */
export class RebuildWriter {
  private pending: ProjectionBatch;
  private writing?: Promise<void>;
  private failure?: { error: unknown };
  private readonly maxPendingRows: number;
  private busyMs = 0;
  private heldBackMs = 0;
  private writes = 0;

  constructor(private readonly options: RebuildWriterOptions) {
    this.pending = new ProjectionBatch(options.schema);
    this.maxPendingRows = options.maxPendingRows ?? 150_000;
  }

  /** Adds the rows of projected events; waits only while too many rows are pending. */
  async add(ops: readonly ProjectionOp[][]): Promise<void> {
    this.throwIfFailed();
    for (const eventOps of ops) this.pending.add(eventOps);
    this.startWriting();
    if (this.pending.pendingRows >= this.maxPendingRows) {
      const t0 = performance.now();
      while (this.pending.pendingRows >= this.maxPendingRows && this.writing && !this.failure) {
        await this.writing;
      }
      this.heldBackMs += performance.now() - t0;
    }
    this.throwIfFailed();
  }

  /** Resolves when everything added so far is written; rejects with the first write failure. */
  async drain(): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      if (this.writing) await this.writing;
      else if (this.pending.pendingRows > 0) this.startWriting();
      else return;
    }
  }

  /** Where the writer's time went (ms): writing, and holding the replay back. */
  get timings(): { writeMs: number; heldBackMs: number; writes: number } {
    return { writeMs: this.busyMs, heldBackMs: this.heldBackMs, writes: this.writes };
  }

  private startWriting(): void {
    if (this.writing || this.failure || this.pending.pendingRows === 0) return;
    const batch = this.pending;
    this.pending = new ProjectionBatch(this.options.schema);
    const t0 = performance.now();
    this.writing = this.options
      .write(batch)
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

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
