import { readFeedback, supersedes } from './feedback-rules';

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
