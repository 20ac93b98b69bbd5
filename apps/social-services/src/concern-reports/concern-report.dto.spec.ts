import { AppError, AppErrorCode } from '@samverkan/platform';
import { fieldErrors, validateDto } from '../../test/support/validate-dto';
import { assertCanAssess, assertCanDecide, ConcernReportConflict } from './concern-report-transitions';
import { DecisionRequest, ProtectionAssessmentRequest } from './concern-report.dto';

describe('ProtectionAssessmentRequest', () => {
  const valid = { outcome: 'no-immediate-protection-needed', assessedAt: '2026-11-18T11:00:00+01:00' };

  it('accepts an outcome, a time and an optional note', async () => {
    expect((await validateDto(ProtectionAssessmentRequest, valid)).ok).toBe(true);
    expect(
      (await validateDto(ProtectionAssessmentRequest, { ...valid, note: 'Samtal med vårdnadshavare.' })).ok,
    ).toBe(true);
  });

  it('reports each invalid field once, without echoing values', async () => {
    const fields = await fieldErrors(ProtectionAssessmentRequest, {
      outcome: 'maybe',
      assessedAt: '18/11/2026',
      note: '',
      extra: 'SECRET-VALUE',
    });
    expect(fields.map((f) => f.field).sort()).toEqual(['assessedAt', 'extra', 'note', 'outcome']);
    expect(JSON.stringify(fields)).not.toMatch(/maybe|18\/11|SECRET-VALUE/);
  });

  it('requires outcome and assessedAt', async () => {
    const fields = await fieldErrors(ProtectionAssessmentRequest, {});
    expect(fields.map((f) => f.field).sort()).toEqual(['assessedAt', 'outcome']);
  });

  it('limits the note length', async () => {
    const fields = await fieldErrors(ProtectionAssessmentRequest, { ...valid, note: 'x'.repeat(4001) });
    expect(fields).toEqual([{ field: 'note', message: expect.stringContaining('4000') }]);
  });
});

describe('DecisionRequest', () => {
  it.each(['investigation-opened', 'investigation-not-opened', 'investigation-already-ongoing'])(
    'accepts %s',
    async (decision) => {
      expect((await validateDto(DecisionRequest, { decision })).ok).toBe(true);
    },
  );

  it('rejects any other decision and a malformed decidedAt', async () => {
    const fields = await fieldErrors(DecisionRequest, { decision: 'opened', decidedAt: 'yesterday' });
    expect(fields.map((f) => f.field).sort()).toEqual(['decidedAt', 'decision']);
    expect(fields.find((f) => f.field === 'decision')?.message).toContain('investigation-already-ongoing');
  });
});

describe('concern report transitions', () => {
  const at = new Date('2026-11-18T10:00:00Z');
  const code = (fn: () => void): { code: AppErrorCode; message: string } => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error('expected a conflict');
  };

  it('assessment once, then decision once', () => {
    expect(() => assertCanAssess({ assessedAt: null, decidedAt: null })).not.toThrow();
    expect(() => assertCanDecide({ assessedAt: at, decidedAt: null })).not.toThrow();
  });

  it('refuses a second assessment, a decision before the assessment and a second decision', () => {
    expect(code(() => assertCanAssess({ assessedAt: at, decidedAt: null }))).toEqual({
      code: AppErrorCode.INVALID_STATE,
      message: ConcernReportConflict.ALREADY_ASSESSED,
    });
    expect(code(() => assertCanDecide({ assessedAt: null, decidedAt: null })).message).toBe(
      ConcernReportConflict.NOT_ASSESSED,
    );
    expect(code(() => assertCanDecide({ assessedAt: at, decidedAt: at })).message).toBe(
      ConcernReportConflict.ALREADY_DECIDED,
    );
  });
});
