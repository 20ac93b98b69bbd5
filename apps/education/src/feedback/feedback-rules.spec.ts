import {
  foldDecisions,
  readFeedback,
  supersedes,
  type DecidedFeedback,
  type HeldFeedback,
} from './feedback-rules';

const REPORT_ID = '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11';

describe('reporter feedback (the minimized concern-report.decided.v1)', () => {
  it('is read from nothing but reportId, outcome and decidedAt', () => {
    const reading = readFeedback({
      reportId: REPORT_ID,
      outcome: 'investigation-not-opened',
      decidedAt: '2026-12-02T10:00:00+01:00',
    });
    expect(reading).toEqual({
      ok: true,
      feedback: {
        reportId: REPORT_ID,
        outcome: 'investigation-not-opened',
        decidedAt: new Date('2026-12-02T09:00:00Z'),
      },
    });
  });

  it('reads the report id in lower case, as the database prints it', () => {
    const reading = readFeedback({
      reportId: REPORT_ID.toUpperCase(),
      outcome: 'investigation-opened',
      decidedAt: '2026-12-02T10:00:00Z',
    });
    expect(reading.ok && reading.feedback.reportId).toBe(REPORT_ID);
  });

  it.each([
    ['no report id', { outcome: 'investigation-opened', decidedAt: '2026-12-02T10:00:00Z' }],
    [
      'an outcome outside the three the law allows',
      { reportId: REPORT_ID, outcome: 'closed', decidedAt: '2026-12-02T10:00:00Z' },
    ],
    ['no decision date', { reportId: REPORT_ID, outcome: 'investigation-opened' }],
    ['an unreadable date', { reportId: REPORT_ID, outcome: 'investigation-opened', decidedAt: 'tomorrow' }],
  ])('is refused with %s', (_name, data) => {
    expect(readFeedback(data).ok).toBe(false);
  });

  const feedback = (decidedAt: string) => ({
    reportId: REPORT_ID,
    outcome: 'investigation-opened' as const,
    decidedAt: new Date(decidedAt),
  });

  it('replaces "awaiting"', () => {
    expect(supersedes({ status: 'awaiting', decidedAt: null }, feedback('2026-12-02T10:00:00Z'))).toBe(true);
  });

  it('replaces an earlier decision (a correction) but never a later one', () => {
    const current = {
      status: 'investigation-not-opened' as const,
      decidedAt: new Date('2026-12-02T10:00:00Z'),
    };
    expect(supersedes(current, feedback('2026-12-03T10:00:00Z'))).toBe(true);
    expect(supersedes(current, feedback('2026-12-01T10:00:00Z'))).toBe(false);
  });
});

describe('a run of decisions applied in memory (foldDecisions)', () => {
  const A = '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11';
  const B = '5d1c2a3b-7e8f-4a90-8b1c-2d3e4f5a6b7c';
  const ELSEWHERE = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
  const awaiting: HeldFeedback = { status: 'awaiting', decidedAt: null };

  const decision = (
    eventId: string,
    reportId: string,
    outcome: DecidedFeedback['feedback']['outcome'],
    decidedAt: string,
  ): DecidedFeedback => ({ eventId, feedback: { reportId, outcome, decidedAt: new Date(decidedAt) } });

  /** The reference: one decision at a time, each against what the previous ones left (the old handler). */
  function oneByOne(held: ReadonlyMap<string, HeldFeedback>, decisions: DecidedFeedback[]) {
    const state = new Map([...held].map(([id, h]) => [id, { ...h, eventId: null as string | null }]));
    for (const { eventId, feedback } of decisions) {
      const current = state.get(feedback.reportId);
      if (current && supersedes(current, feedback))
        state.set(feedback.reportId, { status: feedback.outcome, decidedAt: feedback.decidedAt, eventId });
    }
    return state;
  }

  it('ends a report with a correction in the run at the correction, and ignores an older decision arriving after it', () => {
    const held = new Map([
      [A, awaiting],
      [B, awaiting],
    ]);
    const run = [
      decision('e1', A, 'investigation-not-opened', '2026-12-02T10:00:00Z'),
      decision('e2', B, 'investigation-already-ongoing', '2026-12-02T11:00:00Z'),
      decision('e3', A, 'investigation-opened', '2026-12-03T10:00:00Z'),
      decision('e4', A, 'investigation-not-opened', '2026-12-01T10:00:00Z'),
    ];
    const { changed, notHeld } = foldDecisions(held, run);
    expect(changed).toEqual(
      new Map([
        [A, { status: 'investigation-opened', decidedAt: new Date('2026-12-03T10:00:00Z'), eventId: 'e3' }],
        [
          B,
          {
            status: 'investigation-already-ongoing',
            decidedAt: new Date('2026-12-02T11:00:00Z'),
            eventId: 'e2',
          },
        ],
      ]),
    );
    expect(notHeld).toEqual([]);
    // held is the caller's snapshot of the rows: left as it was.
    expect(held.get(A)).toEqual(awaiting);
  });

  it('lets the later of two decisions with the same date win, as supersedes does one at a time', () => {
    const { changed } = foldDecisions(new Map([[A, awaiting]]), [
      decision('e1', A, 'investigation-not-opened', '2026-12-02T10:00:00Z'),
      decision('e2', A, 'investigation-opened', '2026-12-02T10:00:00Z'),
    ]);
    expect(changed.get(A)?.eventId).toBe('e2');
  });

  it('leaves out a report whose stored decision is newer than every decision in the run', () => {
    const decided: HeldFeedback = {
      status: 'investigation-opened',
      decidedAt: new Date('2026-12-05T10:00:00Z'),
    };
    const { changed, notHeld } = foldDecisions(new Map([[A, decided]]), [
      decision('e1', A, 'investigation-not-opened', '2026-12-02T10:00:00Z'),
      decision('e2', A, 'investigation-not-opened', '2026-12-04T10:00:00Z'),
    ]);
    expect(changed.size).toBe(0);
    expect(notHeld).toEqual([]);
  });

  it('names, in order, the events about reports not held here, and still applies the others', () => {
    const { changed, notHeld } = foldDecisions(new Map([[A, awaiting]]), [
      decision('e1', ELSEWHERE, 'investigation-opened', '2026-12-02T10:00:00Z'),
      decision('e2', A, 'investigation-opened', '2026-12-02T10:00:00Z'),
      decision('e3', ELSEWHERE, 'investigation-not-opened', '2026-12-03T10:00:00Z'),
    ]);
    expect(notHeld).toEqual(['e1', 'e3']);
    expect([...changed.keys()]).toEqual([A]);
  });

  it('ends every report in the state one-at-a-time application leaves, for every order of a run', () => {
    const held = new Map<string, HeldFeedback>([
      [A, { status: 'investigation-not-opened', decidedAt: new Date('2026-12-02T10:00:00Z') }],
      [B, awaiting],
    ]);
    const pool = [
      decision('e1', A, 'investigation-opened', '2026-12-01T10:00:00Z'),
      decision('e2', A, 'investigation-already-ongoing', '2026-12-02T10:00:00Z'),
      decision('e3', A, 'investigation-opened', '2026-12-03T10:00:00Z'),
      decision('e4', B, 'investigation-not-opened', '2026-12-03T10:00:00Z'),
      decision('e5', B, 'investigation-opened', '2026-12-02T10:00:00Z'),
    ];
    const permutations = (items: DecidedFeedback[]): DecidedFeedback[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((item, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
          );
    const orders = permutations(pool);
    expect(orders).toHaveLength(120);
    for (const run of orders) {
      const { changed } = foldDecisions(held, run);
      const expected = oneByOne(held, run);
      for (const [id, stored] of held) {
        expect(changed.get(id) ?? { ...stored, eventId: null }).toEqual(expected.get(id));
      }
    }
  });
});
