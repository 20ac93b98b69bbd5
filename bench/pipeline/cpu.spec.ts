import { CpuMeter } from './cpu';

function burn(ms: number): void {
  const until = process.cpuUsage().user / 1000 + ms;
  let x = 0;
  while (process.cpuUsage().user / 1000 < until) x += Math.sqrt(x + 1);
  if (x < 0) throw new Error('unreachable');
}

describe('CpuMeter (Linux /proc)', () => {
  it('counts this process as "bench" and divides by the reports', () => {
    const meter = CpuMeter.create(() => []);
    if (process.platform !== 'linux') {
      expect(meter).toBeNull();
      return;
    }
    expect(meter).not.toBeNull();
    const reading = meter!.start();
    burn(300);
    const use = reading.stop(10);
    // 300 ms of user CPU over 10 reports: ~30 ms each (ticks are 10 ms; the loop overshoots a little).
    expect(use.msPerReport.bench).toBeGreaterThanOrEqual(25);
    expect(use.msPerReport.bench).toBeLessThan(60);
    expect(use.msPerReport.total).toBeGreaterThanOrEqual(use.msPerReport.bench);
    expect(use.reports).toBe(10);
    expect(use.busyCores).toBeGreaterThan(0.5);
    // Groups come largest first after the total.
    const groups = Object.entries(use.msPerReport)
      .slice(1)
      .map(([, ms]) => ms);
    expect(groups).toEqual([...groups].sort((a, b) => b - a));
  });
});
