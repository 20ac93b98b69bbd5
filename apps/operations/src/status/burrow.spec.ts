import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { observationsOf, partitionKey, type GroupSample } from '../consumer-groups/group-sample';
import {
  evaluateGroup,
  evaluatePartition,
  worstStatus,
  type PartitionObservation,
  type Status,
} from './burrow';

interface Fixture {
  description: string;
  windowSize: number;
  expected: { group: Status; partitions: Status[] };
  samples: GroupSample[];
}

function fixturesIn(dir: string): Array<readonly [string, Fixture]> {
  const path = join(__dirname, 'fixtures', dir);
  return readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(
      (f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(path, f), 'utf8')) as Fixture] as const,
    );
}

/** Recorded on the real stack by scripts/record-burrow-history.ts (real producers, consumers, offset resets). */
const recorded = fixturesIn('recorded');
/** Edge cases the recorder does not stage: a short window, a busy consumer, one stuck partition of two. */
const handWritten = fixturesIn('hand-written');

function expectFinalStatuses(fixture: Fixture): void {
  const { status, partitions } = evaluateGroup(observationsOf(fixture.samples), {
    windowSize: fixture.windowSize,
  });
  const topic = fixture.samples[0].partitions[0].topic;
  expect(fixture.expected.partitions.map((_, i) => partitions.get(partitionKey(topic, i)))).toEqual(
    fixture.expected.partitions,
  );
  expect(status).toBe(fixture.expected.group);
}

describe('Burrow evaluation on histories recorded from the real stack', () => {
  it('has a recording for every status', () => {
    const covered = new Set(recorded.map(([, f]) => f.expected.group));
    expect([...covered].sort()).toEqual(['ok', 'rewound', 'stalled', 'stopped', 'warning']);
  });

  it.each(recorded)('%s ends in the status its scenario stages', (_name, fixture) => {
    expectFinalStatuses(fixture);
  });

  it.each(recorded)(
    '%s: replayed sample by sample, gives the status the sampler showed at each sample',
    (_name, fixture) => {
      const replayed = fixture.samples.map(
        (_, i) =>
          evaluateGroup(observationsOf(fixture.samples.slice(0, i + 1)), { windowSize: fixture.windowSize })
            .status,
      );
      expect(replayed).toEqual(fixture.samples.map((s) => s.status));
      // Every scenario starts healthy: the status is earned by what happens in it, not by its first sample.
      expect(replayed[0]).toBe('ok');
    },
  );
});

describe('Burrow evaluation on hand-written edge cases', () => {
  it.each(handWritten)('%s', (_name, fixture) => {
    expectFinalStatuses(fixture);
  });
});

describe('evaluatePartition rules', () => {
  const obs = (rows: Array<[number | null, number, boolean?]>): PartitionObservation[] =>
    rows.map(([committedOffset, lag, owned = true], i) => ({ at: i * 10_000, committedOffset, lag, owned }));
  const window = { windowSize: 4 };

  it('rewound wins even inside an incomplete window', () => {
    expect(
      evaluatePartition(
        obs([
          [10, 5],
          [3, 12],
        ]),
        window,
      ),
    ).toBe('rewound');
  });

  it('any zero lag in the window is ok, even if the partition is stuck now', () => {
    expect(
      evaluatePartition(
        obs([
          [10, 0],
          [10, 2, false],
          [10, 3, false],
          [10, 4, false],
        ]),
        window,
      ),
    ).toBe('ok');
  });

  it('frozen offset with lag: stalled with an owner, stopped without', () => {
    const frozen: Array<[number, number]> = [
      [10, 1],
      [10, 2],
      [10, 3],
      [10, 3],
    ];
    expect(evaluatePartition(obs(frozen.map(([c, l]) => [c, l, true])), window)).toBe('stalled');
    expect(evaluatePartition(obs(frozen.map(([c, l]) => [c, l, false])), window)).toBe('stopped');
  });

  it('a group that never committed but has messages waiting and no member is stopped', () => {
    expect(
      evaluatePartition(
        obs([
          [null, 5, false],
          [null, 6, false],
          [null, 6, false],
          [null, 7, false],
        ]),
        window,
      ),
    ).toBe('stopped');
  });

  it('lag that grows while offsets move is a warning; lag that dips once is ok', () => {
    expect(
      evaluatePartition(
        obs([
          [10, 5],
          [12, 6],
          [14, 6],
          [15, 9],
        ]),
        window,
      ),
    ).toBe('warning');
    expect(
      evaluatePartition(
        obs([
          [10, 5],
          [12, 6],
          [14, 4],
          [15, 9],
        ]),
        window,
      ),
    ).toBe('ok');
  });

  it('only the last windowSize observations count', () => {
    const rows: Array<[number, number, boolean]> = [
      [5, 9, true],
      [1, 9, true],
      [10, 3, false],
      [10, 4, false],
      [10, 5, false],
      [10, 6, false],
    ];
    expect(evaluatePartition(obs(rows), window)).toBe('stopped');
  });

  it('the group takes its worst partition', () => {
    expect(worstStatus(['ok', 'warning', 'stalled', 'rewound'])).toBe('stalled');
    expect(worstStatus([])).toBe('ok');
  });
});
