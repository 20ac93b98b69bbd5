import type { RebuildProgress } from './rebuild.service';

/**
 * One progress line: a bar, events done of total, events/s and ETA. Rewritten in place on a
 * terminal, printed every few seconds otherwise (CI logs).
 */
export function formatProgress(p: RebuildProgress, width = 30): string {
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const eta = p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)}s`;
  return (
    `${bar} ${Math.floor(ratio * 100)}% ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} events` +
    ` ${Math.round(p.eventsPerSecond).toLocaleString('en-US')} events/s ETA ${eta}`
  );
}

export function progressPrinter(stream: NodeJS.WriteStream = process.stdout): (p: RebuildProgress) => void {
  let lastPrinted = 0;
  return (p) => {
    const line = formatProgress(p);
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K`);
    } else if (Date.now() - lastPrinted >= 5000 || p.done >= p.total) {
      lastPrinted = Date.now();
      stream.write(`${line}\n`);
    }
  };
}
