import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(name: string, result: object): string {
  const path = join(RESULTS_DIR, `${name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
  return path;
}

export function printTable(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(
    ([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`,
  );
  process.stdout.write(`\n${title}\n${'-'.repeat(title.length)}\n${lines.join('\n')}\n`);
}

/** A single self-overwriting progress line on a TTY, a line per update otherwise (CI logs). */
export class Progress {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number, force = false): void {
    const now = Date.now();
    const interval = process.stdout.isTTY ? 200 : 5000;
    if (!force && now - this.last < interval) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const eta = rate > 0 ? Math.max(0, (this.total - done) / rate) : Infinity;
    const pct = this.total ? Math.floor((100 * done) / this.total) : 100;
    const line = `${this.label}: ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} (${pct}%) ${Math.round(rate).toLocaleString('en-US')}/s ETA ${Number.isFinite(eta) ? eta.toFixed(0) + 's' : '?'}`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}\x1b[K`);
    else process.stdout.write(line + '\n');
  }

  done(): void {
    this.update(this.total, true);
    if (process.stdout.isTTY) process.stdout.write('\n');
  }
}
