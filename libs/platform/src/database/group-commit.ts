export interface GroupCommitOptions<I, O> {
  /**
   * Statements at most in flight at once. While they are all busy, new items queue, and the next
   * free slot takes the queue (up to maxBatch) as one statement: under load the batches grow by
   * themselves, and an item arriving on a quiet system goes at once, alone.
   */
  maxInFlight: number;
  /** Items at most in one statement. */
  maxBatch: number;
  /** Writes `items` in ONE statement; its answer per item, in the items' order. */
  write: (items: readonly I[]) => Promise<O[]>;
  /**
   * Keys no two items of one batch may share (e.g. the same child): an item whose key is taken
   * waits for a later batch, so a set-based statement never meets its own rows in a conflict.
   */
  keysOf?: (item: I) => readonly string[];
  /** Told of every statement: how many items it carried, how long it took, whether it failed. */
  observe?: (statement: { items: number; seconds: number; failed: boolean }) => void;
}

interface Pending<I, O> {
  item: I;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot write path: concurrent requests share one statement (one round trip, one
 * commit, one plan execution) instead of one each.
 *
 * Why (education's concern reports, the first user): at 500 concern reports/s education ran one INSERT per request on up to 30 connections, and
 * PostgreSQL spent more CPU on 30 backends contending for the same index pages than on the rows
 * (pool 6 instead of 30 took its share from ≈ 37 % to ≈ 23 % of the machine in bench:pipeline).
 * A few statements in flight, each carrying what queued meanwhile, keep the concurrency low without
 * making anyone wait for a timer.
 *
 * One bad item must not fail the others: when a batch of several fails, each of its items is
 * written once more on its own, and only the items that fail alone get the error.
 */
export class GroupCommit<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private inFlight = 0;

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    if (!(options.maxInFlight >= 1) || !(options.maxBatch >= 1)) {
      throw new Error('GroupCommit needs maxInFlight and maxBatch of at least 1');
    }
  }

  /** Items waiting for a statement (for tests and metrics). */
  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest queued items, up to maxBatch, skipping (and keeping in order) those whose key is taken. */
  private take(): Pending<I, O>[] {
    const keysOf = this.options.keysOf;
    if (!keysOf) return this.queue.splice(0, this.options.maxBatch);
    const batch: Pending<I, O>[] = [];
    const taken = new Set<string>();
    const left: Pending<I, O>[] = [];
    for (const pending of this.queue) {
      const keys = batch.length < this.options.maxBatch ? keysOf(pending.item) : undefined;
      if (keys === undefined || keys.some((key) => taken.has(key))) {
        left.push(pending);
        continue;
      }
      for (const key of keys) taken.add(key);
      batch.push(pending);
    }
    this.queue.splice(0, this.queue.length, ...left);
    return batch;
  }

  private async run(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outcomes[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    for (const pending of batch) {
      try {
        const [outcome] = await this.write([pending.item]);
        pending.resolve(outcome);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  private async write(items: I[]): Promise<O[]> {
    const started = performance.now();
    let failed = true;
    try {
      const outcomes = await this.options.write(items);
      if (outcomes.length !== items.length) {
        throw new Error(
          `GroupCommit: the write answered ${outcomes.length} outcomes for ${items.length} items`,
        );
      }
      failed = false;
      return outcomes;
    } finally {
      this.options.observe?.({ items: items.length, seconds: (performance.now() - started) / 1000, failed });
    }
  }
}
