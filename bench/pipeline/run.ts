import { percentile, round } from '../lib/stats';
import { Progress } from '../lib/report';
import type { CpuMeter, CpuUse } from './cpu';
import { offerLoad, type LoadOptions, type LoadResult } from './load';
import { sleep } from './processes';

/** What a pipeline under test (the hub or the naive baseline) offers to the step runner. */
export interface PipelineUnderTest {
  name: 'hub' | 'naive';
  postUrl: string;
  token?: string;
  body: () => unknown;
  /** How many of `ids` have reached the measured end point so far (cheap; polled while draining). */
  deliveredCount(ids: string[]): Promise<number>;
  /** Per id: filed time and the delivery times of the measured end point (ms since epoch). */
  timings(ids: string[]): Promise<Map<string, { filedAt: number; deliveredAt: number[] }>>;
  /** Where the time went, per hop (the hub's stages); read once per step, after it drained. */
  hops?(ids: string[]): Promise<HopBreakdown>;
}

/** Per hop: p50 and p99, and the mean of the hop over the slowest 1 % of reports (what makes the p99). */
export type HopBreakdown = Record<string, { p50Ms: number; p99Ms: number; slowestPercentMeanMs: number }>;

/**
 * `hops` per id: the time spent in each hop (ms, in the order of the pipeline) and the total the
 * reports are ranked by; ids with a missing hop are left out.
 */
export function hopBreakdown(names: string[], perId: Array<{ total: number; hops: number[] }>): HopBreakdown {
  const slowest = [...perId]
    .sort((a, b) => b.total - a.total)
    .slice(0, Math.max(1, Math.ceil(perId.length / 100)));
  const out: HopBreakdown = {};
  names.forEach((name, i) => {
    const all = perId.map((x) => x.hops[i]);
    out[name] = {
      p50Ms: round(percentile(all, 50), 1),
      p99Ms: round(percentile(all, 99), 1),
      slowestPercentMeanMs: round(
        slowest.reduce((sum, x) => sum + x.hops[i], 0) / Math.max(1, slowest.length),
        1,
      ),
    };
  });
  return out;
}

export interface StepResult {
  offeredRate: number;
  achievedRate: number;
  seconds: number;
  posted: number;
  errors: number;
  errorStatuses: Record<string, number>;
  skipped: number;
  delivered: number;
  /** ms from the last report's 201 until everything was delivered; null if it never was. */
  drainMs: number | null;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 of the first and the last third of the step (by filing time): a growing lag shows here. */
  p99FirstThirdMs: number;
  p99LastThirdMs: number;
  httpP50Ms: number;
  httpP99Ms: number;
  /** From the client sending the POST (includes HTTP queueing before the report is filed). */
  sentToDeliveredP50Ms: number;
  sentToDeliveredP99Ms: number;
  stable: boolean;
  unstableBecause?: string;
  /** Only for a pipeline with stages (the hub). */
  hops?: HopBreakdown;
  /** CPU from the first POST until the step drained, per report and process (Linux only). */
  cpu?: CpuUse;
  lags: number[];
  load: LoadResult;
}

export interface StepOptions {
  rate: number;
  seconds: number;
  drainTimeoutMs: number;
  label: string;
  at?: LoadOptions['at'];
  cpu?: CpuMeter | null;
}

const idOf = (body: { id?: string }) => body.id;

/**
 * One fixed-rate step: offer `rate` reports/s for `seconds`, wait for the deliveries, and judge the
 * step stable when there were no errors, the rate was met (≥ 95 %), everything was delivered within
 * the drain timeout, and the lag did not grow over the step (p99 of the last third ≤ max(1 s, 2 × p99
 * of the first third)).
 */
export async function runStep(p: PipelineUnderTest, options: StepOptions): Promise<StepResult> {
  const progress = new Progress(
    `${p.name} ${options.label} @ ${options.rate}/s`,
    Math.round(options.rate * options.seconds),
  );
  const cpu = options.cpu?.start();
  const load = await offerLoad({
    url: p.postUrl,
    rate: options.rate,
    seconds: options.seconds,
    token: p.token,
    body: p.body,
    idOf,
    at: options.at,
    onTick: (sent) => progress.update(sent),
  });
  progress.done();
  const ids = load.posted.map((x) => x.id);
  const lastAnswer = Math.max(0, ...load.posted.map((x) => x.answeredAt));
  const deadline = Date.now() + options.drainTimeoutMs;
  let delivered = await p.deliveredCount(ids);
  while (delivered < ids.length && Date.now() < deadline) {
    await sleep(100);
    delivered = await p.deliveredCount(ids);
  }
  const drainMs = delivered >= ids.length ? Math.max(0, Date.now() - lastAnswer) : null;
  const cpuUse = cpu?.stop(ids.length);
  const timings = await p.timings(ids);
  const byFiled = [...timings.values()]
    .filter((t) => t.deliveredAt.length > 0)
    .sort((a, b) => a.filedAt - b.filedAt)
    .map((t) => Math.max(0, Math.min(...t.deliveredAt) - t.filedAt));
  const third = Math.max(1, Math.floor(byFiled.length / 3));
  const http = load.posted.map((x) => x.answeredAt - x.sentAt);
  const fromSent = load.posted.flatMap((x) => {
    const t = timings.get(x.id);
    return t && t.deliveredAt.length > 0 ? [Math.max(0, Math.min(...t.deliveredAt) - x.sentAt)] : [];
  });
  const result: StepResult = {
    offeredRate: options.rate,
    achievedRate: round(load.achievedRate, 1),
    seconds: round(load.seconds, 1),
    posted: ids.length,
    errors: load.errors,
    errorStatuses: load.errorStatuses,
    skipped: load.skipped,
    delivered,
    drainMs,
    p50Ms: round(percentile(byFiled, 50), 1),
    p99Ms: round(percentile(byFiled, 99), 1),
    maxMs: round(byFiled.length ? Math.max(...byFiled) : Number.NaN, 1),
    p99FirstThirdMs: round(percentile(byFiled.slice(0, third), 99), 1),
    p99LastThirdMs: round(percentile(byFiled.slice(-third), 99), 1),
    httpP50Ms: round(percentile(http, 50), 1),
    httpP99Ms: round(percentile(http, 99), 1),
    sentToDeliveredP50Ms: round(percentile(fromSent, 50), 1),
    sentToDeliveredP99Ms: round(percentile(fromSent, 99), 1),
    stable: true,
    ...(p.hops ? { hops: await p.hops(ids) } : {}),
    ...(cpuUse ? { cpu: cpuUse } : {}),
    lags: byFiled,
    load,
  };
  const reasons: string[] = [];
  if (load.errors > 0) reasons.push(`${load.errors} HTTP errors ${JSON.stringify(load.errorStatuses)}`);
  if (load.skipped > 0) reasons.push(`${load.skipped} reports not sent (too many requests open)`);
  if (load.achievedRate < 0.95 * options.rate) reasons.push(`achieved ${round(load.achievedRate, 0)}/s`);
  if (drainMs === null)
    reasons.push(`${ids.length - delivered} not delivered ${options.drainTimeoutMs} ms after the step`);
  if (result.p99LastThirdMs > Math.max(1000, 2 * result.p99FirstThirdMs))
    reasons.push(`lag grew (p99 ${result.p99FirstThirdMs} → ${result.p99LastThirdMs} ms)`);
  // Open loop: a saturated server shows up as requests queueing before anything is filed.
  const bySent = [...load.posted].sort((a, b) => a.sentAt - b.sentAt).map((x) => x.answeredAt - x.sentAt);
  const t = Math.max(1, Math.floor(bySent.length / 3));
  const httpFirst = percentile(bySent.slice(0, t), 99);
  const httpLast = percentile(bySent.slice(-t), 99);
  if (httpLast > Math.max(1000, 2 * httpFirst))
    reasons.push(
      `HTTP answers slowed down (p99 ${round(httpFirst, 0)} → ${round(httpLast, 0)} ms): requests queue`,
    );
  if (reasons.length > 0) {
    result.stable = false;
    result.unstableBecause = reasons.join('; ');
  }
  return result;
}

/** Waits until the pipeline has delivered `ids` (between steps, so one step's backlog is not the next one's). */
export async function drain(p: PipelineUnderTest, ids: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await p.deliveredCount(ids)) >= ids.length) return true;
    await sleep(250);
  }
  return false;
}

/** `relay 12/40 (slowest 1 %: 35) ms, ...`: p50/p99 per hop and its mean over the slowest 1 %. */
export function describeHops(hops: HopBreakdown): string {
  return Object.entries(hops)
    .map(([name, h]) => `${name} ${h.p50Ms}/${h.p99Ms} (slowest 1 %: ${h.slowestPercentMeanMs}) ms`)
    .join(', ');
}

/** `9.1 ms/report (hub-social-services 2.4, kafka 1.9, ...), 1.93 cores busy over 23.5 s` */
export function describeCpu(cpu: CpuUse): string {
  const { total, ...groups } = cpu.msPerReport;
  const parts = Object.entries(groups)
    .filter(([, ms]) => ms >= 0.05)
    .map(([group, ms]) => `${group} ${ms}`);
  return `${total} ms/report (${parts.join(', ')}), ${cpu.busyCores} cores busy over ${cpu.wallSeconds} s`;
}

/** Unmeasured load first: JIT, connection pools and the consumers' first fetches warm up. */
export async function warmUp(
  p: PipelineUnderTest,
  rate: number,
  seconds: number,
  log: (line: string) => void,
): Promise<string[]> {
  const step = await runStep(p, { rate, seconds, drainTimeoutMs: 60_000, label: 'warm-up' });
  log(
    `${p.name} warm-up ${rate}/s for ${seconds} s: ${step.posted} filed, ${step.errors} errors, p99 ${step.p99Ms} ms (not counted)`,
  );
  return step.load.posted.map((posted) => posted.id);
}

export interface Sweep {
  steps: Array<Omit<StepResult, 'lags' | 'load'>>;
  eventsPerSecond: number;
}

/** Steps the offered rate up until a step is unstable; the highest stable step is the sustained rate. */
export async function sweep(
  p: PipelineUnderTest,
  rates: number[],
  seconds: number,
  drainTimeoutMs: number,
  log: (line: string) => void,
  cpu?: CpuMeter | null,
): Promise<Sweep> {
  const steps: Sweep['steps'] = [];
  let best = 0;
  for (const rate of rates) {
    const step = await runStep(p, { rate, seconds, drainTimeoutMs, label: 'sweep', cpu });
    const { lags: _lags, load, ...summary } = step;
    steps.push(summary);
    log(
      `${p.name} sweep ${rate}/s: achieved ${step.achievedRate}/s, p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms, ` +
        `${step.stable ? 'stable' : `UNSTABLE (${step.unstableBecause})`}`,
    );
    if (step.hops) log(`${p.name} sweep ${rate}/s hops: ${describeHops(step.hops)}`);
    if (step.cpu) log(`${p.name} sweep ${rate}/s CPU: ${describeCpu(step.cpu)}`);
    if (!step.stable) {
      // Let the backlog clear so it does not weigh on whatever runs next.
      await drain(
        p,
        load.posted.map((x) => x.id),
        60_000,
      );
      break;
    }
    best = rate;
  }
  return { steps, eventsPerSecond: best };
}
