import { cpus, loadavg } from 'node:os';
import { DEFAULT_PARTITIONS } from '@samverkan/contracts';
import { percentile, round } from './lib/stats';
import { printTable, writeResult } from './lib/report';
import { BenchHub, type HubAppName } from './pipeline/hub';
import { NaiveBaseline } from './pipeline/naive';
import { cleanupAll, installSignalHandlers, isProfiled, sleep } from './pipeline/processes';
import { CpuMeter, type CpuUse } from './pipeline/cpu';
import { describeCpu, drain, runStep, sweep, warmUp, type StepResult } from './pipeline/run';
import {
  assertGroupsIdle,
  AutovacuumStandIn,
  benchDatabaseNames,
  provideBenchStack,
  type StackMode,
} from './pipeline/stack';

// npm run bench:pipeline — the concern-report pipeline end to end (issue 3, "Benchmark"): the hub
// (education → router → social-services → feedback to education, and the reporting audience)
// against a naive NestJS baseline (save, ClientKafka.emit, @EventPattern), on the local stack.
// See bench/pipeline/README.md for what is measured and how.

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

const config = {
  stack: (process.env.BENCH_STACK ?? 'shared') as StackMode,
  only: process.env.BENCH_ONLY as 'hub' | 'naive' | undefined,
  rate: num('BENCH_RATE', 500),
  seconds: num('BENCH_SECONDS', 10),
  rates: (process.env.BENCH_RATES ?? '5,10,25,50,100,200,350,500,750,1000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  stepSeconds: num('BENCH_STEP_SECONDS', 6),
  stepDrainSeconds: num('BENCH_STEP_DRAIN_SECONDS', 5),
  drainSeconds: num('BENCH_DRAIN_SECONDS', 120),
  killRate: num('BENCH_KILL_RATE', 100),
  killSeconds: num('BENCH_KILL_SECONDS', 12),
  decideFraction: Math.min(1, num('BENCH_DECIDE_FRACTION', 1)),
  // Long enough for the JVM's C2 compiler to be done with the broker's hot paths (see README).
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 30),
  warmupRate: num('BENCH_WARMUP_RATE', 200),
};

const HUB_GROUPS: HubAppName[] = ['education', 'router', 'social-services'];

const log = (line: string) => process.stdout.write(`[bench:pipeline] ${line}\n`);
const pct = (xs: number[], p: number) => round(percentile(xs, p), 1);

function stepSummary(step: StepResult) {
  const { lags: _lags, load: _load, ...rest } = step;
  return rest;
}

/** Lost = emitted (201) ids without the effect; duplicated = effects beyond the first. */
function countLostOrDuplicated(ids: string[], counts: Map<string, number>) {
  let lost = 0;
  let duplicated = 0;
  for (const id of ids) {
    const n = counts.get(id) ?? 0;
    if (n === 0) lost++;
    else duplicated += n - 1;
  }
  return { emitted: ids.length, lost, duplicated, lostOrDuplicated: lost + duplicated };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

/**
 * Waits (up to BENCH_DRAIN_SECONDS) until education shows feedback for the decided share of `ids`;
 * with a fraction below 1 the driver's random picks are allowed 10 % short.
 */
function feedbackVisible(hub: BenchHub, ids: string[]): Promise<boolean> {
  const expected =
    config.decideFraction >= 1 ? ids.length : Math.floor(ids.length * config.decideFraction * 0.9);
  return waitFor(async () => (await hub.feedbackCount(ids)) >= expected, config.drainSeconds * 1000);
}

async function benchHub(hub: BenchHub) {
  const reporting = hub.reportingPipeline();
  // The decision driver runs from the warm-up on, so that the decision endpoints, the feedback path
  // and the broker's code for them are compiled (V8, the JVM's JIT) before anything is measured,
  // and the warm-up's decisions are waited for so that none spills into the measured phase.
  const driver = hub.startDecisionDriver(config.decideFraction);
  const warmIds = await warmUp(reporting, config.warmupRate, config.warmupSeconds, log);
  const warmDecided = await feedbackVisible(hub, warmIds);
  log(`hub warm-up decisions: ${warmDecided ? 'all feedback visible' : 'NOT all feedback visible in time'}`);
  await autovacuum.pass();

  // 1. Latency at BENCH_RATE, with social services deciding every report (the feedback path runs too).
  log(
    `hub: ${config.seconds} s at ${config.rate}/s with decisions driven (fraction ${config.decideFraction})`,
  );
  // The CPU of the whole step, until the last report's feedback is visible: what one report with its
  // decisions costs (the step's own reading stops when the reporting audience has everything).
  const withDecisionsCpu = cpuMeter?.start();
  const latency = await runStep(reporting, {
    rate: config.rate,
    seconds: config.seconds,
    drainTimeoutMs: config.drainSeconds * 1000,
    label: 'latency',
    cpu: cpuMeter,
  });
  const ids = latency.load.posted.map((p) => p.id);
  await feedbackVisible(hub, ids);
  driver.stop();
  const cpuWithDecisions = withDecisionsCpu?.stop(ids.length);
  if (cpuWithDecisions)
    log(`hub CPU with decisions, until all feedback was visible: ${describeCpu(cpuWithDecisions)}`);
  const stages = await hub.stages(ids);
  const kafkaTs = ids.flatMap((id) => hub.collector.deliveries.get(id)?.slice(0, 1) ?? []);
  const filed = await hub.filedAt(ids);
  const pickedUp = await hub.relayPickedUpAt(ids);
  const httpMs = latency.load.posted.map((p) => p.answeredAt - p.sentAt);
  const d = (xs: Array<number | null>) =>
    xs.filter((x): x is number => x !== null && Number.isFinite(x)).map((x) => Math.max(0, x));
  const toFeedback = d(stages.map((s) => (s.feedbackAt === null ? null : s.feedbackAt - s.filedAt)));
  const toIntake = d(stages.map((s) => (s.registeredAt === null ? null : s.registeredAt - s.filedAt)));
  const intakeToDecided = d(
    stages.map((s) =>
      s.decidedAt === null || s.registeredAt === null ? null : s.decidedAt - s.registeredAt,
    ),
  );
  const decidedToFeedback = d(
    stages.map((s) => (s.decidedAt === null || s.feedbackAt === null ? null : s.feedbackAt - s.decidedAt)),
  );
  const toRouterProduce = d(
    ids.map((id) => {
      const f = filed.get(id);
      const k = hub.collector.deliveries.get(id)?.[0];
      return f === undefined || !k ? null : k.kafkaTs - f;
    }),
  );
  const produceToRead = d(kafkaTs.map((k) => k.arrivedAt - k.kafkaTs));
  const toRelay = d(
    ids.map((id) => {
      const f = filed.get(id);
      const r = pickedUp.get(id);
      return f === undefined || r === undefined ? null : r - f;
    }),
  );
  const relayToRouter = d(
    ids.map((id) => {
      const r = pickedUp.get(id);
      const k = hub.collector.deliveries.get(id)?.[0];
      return r === undefined || !k ? null : k.kafkaTs - r;
    }),
  );
  const breakdown = {
    httpPostP50Ms: pct(httpMs, 50),
    httpPostP99Ms: pct(httpMs, 99),
    filedToRelayPickupP50Ms: pct(toRelay, 50),
    filedToRelayPickupP99Ms: pct(toRelay, 99),
    relayPickupToRouterProduceP50Ms: pct(relayToRouter, 50),
    relayPickupToRouterProduceP99Ms: pct(relayToRouter, 99),
    filedToRouterProduceP50Ms: pct(toRouterProduce, 50),
    filedToRouterProduceP99Ms: pct(toRouterProduce, 99),
    routerProduceToReadableP50Ms: pct(produceToRead, 50),
    routerProduceToReadableP99Ms: pct(produceToRead, 99),
    filedToIntakeRegisteredP50Ms: pct(toIntake, 50),
    filedToIntakeRegisteredP99Ms: pct(toIntake, 99),
    intakeToDecidedByDriverP50Ms: pct(intakeToDecided, 50),
    intakeToDecidedByDriverP99Ms: pct(intakeToDecided, 99),
    decidedToFeedbackVisibleP50Ms: pct(decidedToFeedback, 50),
    decidedToFeedbackVisibleP99Ms: pct(decidedToFeedback, 99),
  };
  const feedback = {
    reports: ids.length,
    decided: driver.decided,
    driverRetries: driver.failures,
    visible: toFeedback.length,
    p50Ms: pct(toFeedback, 50),
    p99Ms: pct(toFeedback, 99),
  };
  log(
    `hub latency: reporting p50 ${latency.p50Ms} / p99 ${latency.p99Ms} ms; feedback p50 ${feedback.p50Ms} / p99 ${feedback.p99Ms} ms`,
  );

  // 2. Sustained rate: filed → reporting delivery, no decisions (the same one hop the baseline has).
  log(`hub: sweep ${config.rates.join(', ')}/s, ${config.stepSeconds} s each`);
  const swept = await sweep(
    reporting,
    config.rates,
    config.stepSeconds,
    config.stepDrainSeconds * 1000,
    log,
    cpuMeter,
  );

  // 3. Crash run: the router SIGKILLed at 30 %, social-services at 60 %, each restarted at once.
  // A SIGKILLed process writes no CPU profile: profiled ones are restarted gracefully first, so their
  // profiles cover the steps above (see BENCH_PROFILE in bench/pipeline/processes.ts).
  for (const name of ['router', 'social-services'] as const) {
    if (isProfiled(`hub-${name}`)) await hub.restart(name);
  }
  log(
    `hub: crash run, ${config.killSeconds} s at ${config.killRate}/s; SIGKILL router at 30 %, social-services at 60 %`,
  );
  const restarts: Array<Promise<void>> = [];
  const killed: string[] = [];
  const crash = (name: HubAppName) => () => {
    killed.push(name);
    restarts.push(hub.crashAndRestart(name));
  };
  const crashStep = await runStep(reporting, {
    rate: config.killRate,
    seconds: config.killSeconds,
    drainTimeoutMs: 1,
    label: 'crash',
    at: [
      { fraction: 0.3, run: crash('router') },
      { fraction: 0.6, run: crash('social-services') },
    ],
  });
  await Promise.all(restarts);
  const crashIds = crashStep.load.posted.map((p) => p.id);
  const settled = await waitFor(async () => {
    const intake = await hub.intakeCounts(crashIds);
    return intake.size >= crashIds.length && crashIds.every((id) => hub.collector.deliveries.has(id));
  }, config.drainSeconds * 1000);
  await sleep(3000); // late duplicates, if any, would arrive now
  const intake = countLostOrDuplicated(crashIds, await hub.intakeCounts(crashIds));
  const delivered = countLostOrDuplicated(
    crashIds,
    new Map(crashIds.map((id) => [id, hub.collector.deliveries.get(id)?.length ?? 0])),
  );
  log(
    `hub crash run: intake lost ${intake.lost} dup ${intake.duplicated}; reporting lost ${delivered.lost} dup ${delivered.duplicated}`,
  );

  return {
    latency: stepSummary(latency),
    feedback,
    cpuWithDecisions: cpuWithDecisions ?? null,
    breakdown,
    sweep: swept,
    crash: {
      killed,
      rate: config.killRate,
      seconds: config.killSeconds,
      settled,
      httpErrors: crashStep.errors,
      socialServicesIntake: intake,
      reportingAudience: delivered,
      lostOrDuplicated: intake.lostOrDuplicated + delivered.lostOrDuplicated,
    },
  };
}

/** The sweep's step at BENCH_RATE (undefined when the sweep stopped below it). */
function stepAtRate<T extends { offeredRate: number }>(steps: T[]): T | undefined {
  return steps.find((s) => s.offeredRate === config.rate);
}

function atRateWithoutDecisions(
  steps: Array<{ offeredRate: number; p50Ms: number; p99Ms: number; stable: boolean }>,
) {
  const step = stepAtRate(steps);
  return {
    p50MsWithoutDecisions: step?.p50Ms ?? null,
    p99MsWithoutDecisions: step?.p99Ms ?? null,
    stableWithoutDecisions: step?.stable ?? null,
  };
}

async function benchNaive(naive: NaiveBaseline) {
  const p = naive.pipeline();
  await warmUp(p, config.warmupRate, config.warmupSeconds, log);
  await autovacuum.pass();
  log(`naive: ${config.seconds} s at ${config.rate}/s`);
  const latency = await runStep(p, {
    rate: config.rate,
    seconds: config.seconds,
    drainTimeoutMs: config.drainSeconds * 1000,
    label: 'latency',
    cpu: cpuMeter,
  });
  log(`naive latency: p50 ${latency.p50Ms} / p99 ${latency.p99Ms} ms`);
  if (latency.cpu) log(`naive CPU: ${describeCpu(latency.cpu)}`);
  log(`naive: sweep ${config.rates.join(', ')}/s, ${config.stepSeconds} s each`);
  const swept = await sweep(
    p,
    config.rates,
    config.stepSeconds,
    config.stepDrainSeconds * 1000,
    log,
    cpuMeter,
  );
  log(`naive: crash run, ${config.killSeconds} s at ${config.killRate}/s; SIGKILL the consumer at 50 %`);
  let restart: Promise<void> | undefined;
  const crashStep = await runStep(p, {
    rate: config.killRate,
    seconds: config.killSeconds,
    drainTimeoutMs: 1,
    label: 'crash',
    at: [
      {
        fraction: 0.5,
        run: () => {
          restart = naive.crashAndRestartConsumer();
        },
      },
    ],
  });
  await restart;
  const crashIds = crashStep.load.posted.map((x) => x.id);
  const settled = await drain(p, crashIds, config.drainSeconds * 1000);
  await sleep(3000);
  const effects = countLostOrDuplicated(crashIds, await naive.effectCounts(crashIds));
  log(`naive crash run: lost ${effects.lost}, duplicated ${effects.duplicated}`);
  return {
    latency: stepSummary(latency),
    sweep: swept,
    crash: {
      killed: ['naive-consumer'],
      rate: config.killRate,
      seconds: config.killSeconds,
      settled,
      httpErrors: crashStep.errors,
      effects,
      lostOrDuplicated: effects.lostOrDuplicated,
    },
  };
}

/** cores × 1000 / CPU ms per report: the rate at which every core would be busy. */
function cpuBoundRate(cpu: CpuUse | undefined | null): number | null {
  return cpu && cpu.msPerReport.total > 0 ? Math.round((cpus().length * 1000) / cpu.msPerReport.total) : null;
}

let autovacuum: AutovacuumStandIn;
const cpuMeter = CpuMeter.create(benchDatabaseNames);

async function main(): Promise<void> {
  installSignalHandlers();
  const startedAt = new Date();
  const loadBefore = loadavg();
  log(
    `config ${JSON.stringify(config)}; ${cpus().length} cores, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const info = await provideBenchStack(config.stack, log);
  autovacuum = await AutovacuumStandIn.start(info, log);
  if (config.only !== 'naive') await assertGroupsIdle(info, HUB_GROUPS, { waitMs: 45_000, log });

  let hubResult: Awaited<ReturnType<typeof benchHub>> | undefined;
  let naiveResult: Awaited<ReturnType<typeof benchNaive>> | undefined;
  if (config.only !== 'naive') {
    const hub = new BenchHub(info);
    await hub.start(log);
    hubResult = await benchHub(hub);
    await Promise.all([...hub.procs.values()].map((p) => p.stop()));
    await hub.retireDatabases();
  }
  if (config.only !== 'hub') {
    const naive = new NaiveBaseline(info, DEFAULT_PARTITIONS);
    await naive.start(log);
    naiveResult = await benchNaive(naive);
    await Promise.all([naive.api?.stop(), naive.consumer?.stop()]);
  }
  const loadAfter = loadavg();

  const result = {
    bench: 'pipeline',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: loadAfter.map((l) => round(l, 2)),
      stack: config.stack,
      postgresAutovacuum: autovacuum.report(),
    },
    config,
    hub: hubResult && {
      eventsPerSecond: hubResult.sweep.eventsPerSecond,
      p50Ms: hubResult.latency.p50Ms,
      p99Ms: hubResult.latency.p99Ms,
      measuredAtRate: config.rate,
      // The same rate in the sweep, where no decisions run: the one hop the baseline has, so these
      // compare with naive.p50Ms/p99Ms like for like (null when the sweep stopped below the rate).
      ...atRateWithoutDecisions(hubResult.sweep.steps),
      p50MsFeedback: hubResult.feedback.p50Ms,
      p99MsFeedback: hubResult.feedback.p99Ms,
      // What the machine's cores carry at most, by the CPU one report took in this run (every core
      // busy, no headroom for latency): the ceiling no tuning of timeouts or batches moves.
      cpuBoundRateWithDecisions: cpuBoundRate(hubResult.cpuWithDecisions),
      cpuBoundRateWithoutDecisions: cpuBoundRate(stepAtRate(hubResult.sweep.steps)?.cpu),
      lostOrDuplicated: hubResult.crash.lostOrDuplicated,
      ...hubResult,
    },
    naive: naiveResult && {
      eventsPerSecond: naiveResult.sweep.eventsPerSecond,
      p50Ms: naiveResult.latency.p50Ms,
      p99Ms: naiveResult.latency.p99Ms,
      measuredAtRate: config.rate,
      lostOrDuplicated: naiveResult.crash.lostOrDuplicated,
      ...naiveResult,
    },
    targets: hubResult && {
      hubP99AtRateUnder150Ms: hubResult.latency.p99Ms <= 150,
      hubThroughputAtLeastNaive: naiveResult
        ? hubResult.sweep.eventsPerSecond >= naiveResult.sweep.eventsPerSecond
        : null,
      hubLostOrDuplicatedZero: hubResult.crash.lostOrDuplicated === 0,
    },
  };
  const path = writeResult('pipeline', result);
  const rows: Array<[string, string | number]> = [
    [
      'cores / load avg (before → after)',
      `${cpus().length} / ${loadBefore[0].toFixed(1)} → ${loadAfter[0].toFixed(1)}`,
    ],
  ];
  if (hubResult) {
    const l = hubResult.latency;
    const withoutCpu = stepAtRate(hubResult.sweep.steps)?.cpu;
    rows.push(
      ['hub sustained rate (reports/s)', hubResult.sweep.eventsPerSecond],
      [`hub @${config.rate}/s achieved`, `${l.achievedRate}/s, ${l.posted} filed, ${l.errors} errors`],
      [`hub @${config.rate}/s with decisions: filed → reporting p50/p99`, `${l.p50Ms} / ${l.p99Ms} ms`],
      [
        `hub @${config.rate}/s, no decisions (sweep) p50/p99`,
        (() => {
          const a = atRateWithoutDecisions(hubResult.sweep.steps);
          return a.p50MsWithoutDecisions === null
            ? 'not reached'
            : `${a.p50MsWithoutDecisions} / ${a.p99MsWithoutDecisions} ms${a.stableWithoutDecisions ? '' : ' (unstable)'}`;
        })(),
      ],
      [
        `hub @${config.rate}/s filed → feedback p50/p99`,
        `${hubResult.feedback.p50Ms} / ${hubResult.feedback.p99Ms} ms`,
      ],
      ['hub lost + duplicated (crash run)', hubResult.crash.lostOrDuplicated],
      [
        `hub CPU per report @${config.rate}/s: with decisions / without (sweep)`,
        `${hubResult.cpuWithDecisions?.msPerReport.total ?? '-'} / ${withoutCpu?.msPerReport.total ?? '-'} ms ` +
          `(at that cost ${cpus().length} cores are all busy at ${cpuBoundRate(hubResult.cpuWithDecisions) ?? '-'} / ${cpuBoundRate(withoutCpu) ?? '-'} reports/s)`,
      ],
    );
  }
  if (naiveResult) {
    const l = naiveResult.latency;
    rows.push(
      ['naive sustained rate (reports/s)', naiveResult.sweep.eventsPerSecond],
      [`naive @${config.rate}/s achieved`, `${l.achievedRate}/s, ${l.posted} filed, ${l.errors} errors`],
      [`naive @${config.rate}/s filed → effect p50/p99`, `${l.p50Ms} / ${l.p99Ms} ms`],
      ['naive lost + duplicated (crash run)', naiveResult.crash.lostOrDuplicated],
      [`naive CPU per report @${config.rate}/s`, `${l.cpu?.msPerReport.total ?? '-'} ms`],
    );
  }
  printTable('Concern-report pipeline: hub vs naive NestJS baseline', rows);
  log(`wrote ${path}`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `bench:pipeline failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => cleanupAll().finally(() => process.exit(process.exitCode ?? 0)));
