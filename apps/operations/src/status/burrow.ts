/**
 * Burrow's consumer evaluation rules (github.com/linkedin/Burrow, "Consumer Lag Evaluation Rules"),
 * as pure functions over a sliding window of samples of one partition. The sampler records a sample
 * per partition every interval; these functions never touch Kafka, so recorded histories test them.
 *
 * Kafka does not tell a reader when an offset was committed, so Burrow's "no commit for longer than
 * the window" (stopped) is judged from what can be observed: the committed offset did not move over
 * the whole window, there is lag, and no member of the group owns the partition. With an owner the
 * same picture is a consumer that is alive but stuck (stalled).
 */
export const STATUSES = ['ok', 'warning', 'rewound', 'stalled', 'stopped'] as const;
export type Status = (typeof STATUSES)[number];

/** Gauge value and severity order: higher is worse. */
export const STATUS_SEVERITY: Record<Status, number> = { ok: 0, warning: 1, rewound: 2, stalled: 3, stopped: 4 };

export interface PartitionObservation {
  /** Sample time, ms since epoch. */
  at: number;
  /** Null while the group has never committed on the partition. */
  committedOffset: number | null;
  lag: number;
  /** Some member of the group is assigned the partition at this sample. */
  owned: boolean;
}

export interface EvaluationOptions {
  /** Samples in a full window; fewer than this can only show `rewound` (or ok). */
  windowSize: number;
}

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  for (const s of statuses) if (STATUS_SEVERITY[s] > STATUS_SEVERITY[worst]) worst = s;
  return worst;
}

/**
 * One partition's status over the last `windowSize` observations (oldest first), in Burrow's order:
 * 1. the committed offset went backwards between two samples → rewound;
 * 2. any sample in the window has zero lag → ok;
 * 3. the committed offset did not move over a full window while there is lag → stopped when no
 *    member owns the partition (nobody is consuming), else stalled;
 * 4. offsets move but lag never shrinks and ends higher than it began → warning;
 * 5. otherwise ok.
 */
export function evaluatePartition(history: readonly PartitionObservation[], options: EvaluationOptions): Status {
  const window = history.slice(-options.windowSize);
  if (window.length === 0) return 'ok';
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1].committedOffset;
    const after = window[i].committedOffset;
    if (before !== null && after !== null && after < before) return 'rewound';
  }
  if (window.some((o) => o.lag === 0)) return 'ok';
  if (window.length < options.windowSize) return 'ok';
  const first = window[0];
  const last = window[window.length - 1];
  const offsetsStill = window.every((o) => o.committedOffset === first.committedOffset);
  if (offsetsStill) return last.owned ? 'stalled' : 'stopped';
  let neverShrinks = true;
  for (let i = 1; i < window.length; i++) if (window[i].lag < window[i - 1].lag) neverShrinks = false;
  if (neverShrinks && last.lag > first.lag) return 'warning';
  return 'ok';
}

/** A group's status: its worst partition's. */
export function evaluateGroup(
  partitions: ReadonlyMap<string, readonly PartitionObservation[]>,
  options: EvaluationOptions,
): { status: Status; partitions: Map<string, Status> } {
  const out = new Map<string, Status>();
  for (const [key, history] of partitions) out.set(key, evaluatePartition(history, options));
  return { status: worstStatus(out.values()), partitions: out };
}
