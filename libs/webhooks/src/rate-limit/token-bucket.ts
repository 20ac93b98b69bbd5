/**
 * A token bucket per subscriber: `capacity` requests at once, refilled at `perSecond`. The clock is
 * injected so tests count requests, not milliseconds.
 */
export class TokenBucket {
  #tokens: number;
  #updated: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (capacity < 1 || perSecond <= 0)
      throw new RangeError('a token bucket needs capacity >= 1 and a positive rate');
    this.#tokens = capacity;
    this.#updated = now();
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((t - this.#updated) / 1000) * this.perSecond);
    this.#updated = t;
  }

  /** Takes a token if there is one. */
  tryTake(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
  }

  /** Waits for and takes a token. */
  async take(
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ): Promise<void> {
    while (!this.tryTake()) await sleep(this.waitMs());
  }
}
