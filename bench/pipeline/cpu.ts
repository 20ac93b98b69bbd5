import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { liveProcesses } from './processes';

// Where a step's CPU went, per process of the pipeline, read from Linux's /proc: the apps the
// benchmark started (by their registered pids), the Kafka broker, PostgreSQL's backends per scratch
// database, the benchmark itself, and everything else on the machine. Divided by the reports of the
// step it says what one report costs, which tells how far the machine's cores carry a rate: on two
// cores, a pipeline needing 8 ms of CPU per report saturates near 250 reports/s, whatever is tuned.

/** CPU of a step: ms of CPU per report, by process group, and how many cores were busy on average. */
export interface CpuUse {
  wallSeconds: number;
  /** All groups' CPU over the wall time: 2.0 means two cores busy throughout. */
  busyCores: number;
  /** Over `reports`: includes what the pipeline does while otherwise idle (polls, heartbeats). */
  msPerReport: Record<string, number>;
  reports: number;
}

type Ticks = Map<number, { group: string; ticks: number }>;

const PROC = '/proc';

/** Reads utime+stime of every process, grouped; null where /proc is not Linux's. */
export class CpuMeter {
  private constructor(
    private readonly databases: () => string[],
    private readonly hz: number,
  ) {}

  /** `databases`: the scratch databases' names, whose backends are counted as `postgres:<prefix>`. */
  static create(databases: () => string[]): CpuMeter | null {
    if (!existsSync(`${PROC}/self/stat`)) return null;
    return new CpuMeter(databases, clockTicksPerSecond());
  }

  /** Starts a reading; `stop(reports)` gives the CPU since. */
  start(): { stop: (reports: number) => CpuUse } {
    const before = this.sample();
    const startedAt = performance.now();
    return {
      stop: (reports) => {
        const after = this.sample();
        const wallSeconds = (performance.now() - startedAt) / 1000;
        const byGroup = new Map<string, number>();
        for (const [pid, { group, ticks }] of after) {
          // A process started during the step (a restarted app, a new backend) counts from zero;
          // one that ended during it is lost, which the crash run's killed processes are.
          const was = before.get(pid);
          const delta = was && was.group === group ? ticks - was.ticks : ticks;
          if (delta > 0) byGroup.set(group, (byGroup.get(group) ?? 0) + delta);
        }
        const msOf = (ticks: number) => (ticks * 1000) / this.hz;
        const total = [...byGroup.values()].reduce((a, b) => a + b, 0);
        const perReport = (ticks: number) => Math.round((msOf(ticks) / Math.max(1, reports)) * 100) / 100;
        const msPerReport: Record<string, number> = { total: perReport(total) };
        for (const [group, ticks] of [...byGroup].sort((a, b) => b[1] - a[1])) {
          msPerReport[group] = perReport(ticks);
        }
        return {
          wallSeconds: Math.round(wallSeconds * 10) / 10,
          busyCores: Math.round((msOf(total) / 1000 / Math.max(0.001, wallSeconds)) * 100) / 100,
          msPerReport,
          reports,
        };
      },
    };
  }

  private sample(): Ticks {
    const named = new Map(liveProcesses().map((p) => [p.pid, p.name]));
    const databases = this.databases();
    const out: Ticks = new Map();
    for (const entry of readdirSync(PROC)) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      try {
        const stat = readFileSync(`${PROC}/${pid}/stat`, 'utf8');
        // Fields after the command (which may hold spaces) in parentheses: utime and stime are 14, 15.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        out.set(pid, { group: this.groupOf(pid, named, databases), ticks });
      } catch {
        // gone between readdir and read
      }
    }
    return out;
  }

  private groupOf(pid: number, named: Map<number, string>, databases: string[]): string {
    if (pid === process.pid) return 'bench';
    const name = named.get(pid);
    if (name) return name;
    let cmdline: string;
    try {
      cmdline = readFileSync(`${PROC}/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      return 'other';
    }
    if (cmdline.startsWith('postgres:')) {
      const db = databases.find((d) => cmdline.includes(` ${d} `));
      // scratch_bench_router_<time>_<random> → postgres:bench_router
      return db
        ? `postgres:${db.replace(/^scratch_/, '').replace(/_[a-z0-9]+_[0-9a-f]{6}$/, '')}`
        : 'postgres:server';
    }
    if (/\bkafka\.Kafka\b/.test(cmdline)) return 'kafka';
    return 'other';
  }
}

/** USER_HZ, the unit of /proc's utime and stime (100 on every common Linux). */
function clockTicksPerSecond(): number {
  try {
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(hz) && hz > 0 ? hz : 100;
  } catch {
    return 100;
  }
}
