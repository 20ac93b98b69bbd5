/**
 * Where a service reads "now" for what the law times: when a report was received, when a deadline
 * passes, what is overdue. Injected (Nest token: the class itself) so a demo can run a simulated day
 * and a test can move time, while everything else keeps the system clock.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Milliseconds this clock runs ahead of real time (negative: behind); 0 for the system clock. */
  abstract readonly offsetMs: number;
}

export class SystemClock extends Clock {
  readonly offsetMs = 0;

  now(): Date {
    return new Date();
  }
}

/** Real time shifted by a fixed offset (CLOCK_OFFSET): time passes as usual, only the origin moves. */
export class OffsetClock extends Clock {
  constructor(readonly offsetMs: number) {
    super();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/**
 * Real time plus an offset the caller moves (tests): time keeps passing, so timestamps a test takes
 * from the system clock stay "now" for the service until the test moves the clock.
 */
export class AdjustableClock extends Clock {
  private offset = 0;

  get offsetMs(): number {
    return this.offset;
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  reset(): void {
    this.offset = 0;
  }
}

/** The clock for a validated CLOCK_OFFSET (ms): the system clock when unset or zero. */
export function clockFor(offsetMs: number | undefined): Clock {
  return offsetMs ? new OffsetClock(offsetMs) : new SystemClock();
}

/** `-16d 2h` style, for the boot warning (whole minutes; seconds are noise there). */
export function describeOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (rest || parts.length === 0) parts.push(`${rest}m`);
  return `${parts.join(' ')} ${offsetMs < 0 ? 'behind' : 'ahead of'} real time`;
}
