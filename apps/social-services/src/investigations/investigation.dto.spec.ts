import { fieldErrors, validateDto } from '../../test/support/validate-dto';
import { CHILD_PNR, CHILD_PNR_10 } from '../../test/support/validate-dto';
import {
  CloseInvestigationRequest,
  ExtendInvestigationRequest,
  InvestigationQuery,
  OpenInvestigationRequest,
} from './investigation.dto';

describe('CloseInvestigationRequest', () => {
  it.each(['interventions-decided', 'no-interventions', 'transferred', 'discontinued'])(
    'accepts the outcome %s with a closing time',
    async (outcome) => {
      expect(
        (await validateDto(CloseInvestigationRequest, { outcome, closedAt: '2027-03-01T10:00:00+01:00' })).ok,
      ).toBe(true);
    },
  );

  it('requires both fields and reports each invalid one once, without echoing values', async () => {
    expect((await fieldErrors(CloseInvestigationRequest, {})).map((f) => f.field).sort()).toEqual([
      'closedAt',
      'outcome',
    ]);
    const fields = await fieldErrors(CloseInvestigationRequest, {
      outcome: 'finished',
      closedAt: '01/03/2027',
      note: 'SECRET-VALUE',
    });
    expect(fields.map((f) => f.field).sort()).toEqual(['closedAt', 'note', 'outcome']);
    expect(fields.find((f) => f.field === 'outcome')?.message).toContain('interventions-decided');
    expect(JSON.stringify(fields)).not.toMatch(/finished|01\/03|SECRET-VALUE/);
  });
});

describe('ExtendInvestigationRequest', () => {
  const valid = { reason: 'awaiting-expert-statement', until: '2027-05-18' };

  it('accepts a reason code, a new last day and an optional decision time', async () => {
    expect((await validateDto(ExtendInvestigationRequest, valid)).ok).toBe(true);
    expect(
      (await validateDto(ExtendInvestigationRequest, { ...valid, decidedAt: '2027-03-01T10:00:00Z' })).ok,
    ).toBe(true);
  });

  it('takes codes, not free text, and a real calendar date', async () => {
    const fields = await fieldErrors(ExtendInvestigationRequest, {
      reason: 'Mamman är sjuk',
      until: '2027-02-30',
      decidedAt: 'now',
    });
    expect(fields.map((f) => f.field).sort()).toEqual(['decidedAt', 'reason', 'until']);
    expect(JSON.stringify(fields)).not.toContain('Mamman');
  });
});

describe('OpenInvestigationRequest', () => {
  it('accepts an application for an identified child and normalizes the personnummer to 12 digits', async () => {
    const result = await validateDto(OpenInvestigationRequest, {
      trigger: 'application',
      child: { personnummer: CHILD_PNR_10 },
    });
    expect(result.ok && result.dto.child.personnummer).toBe(CHILD_PNR);
  });

  it('refuses concern-report as a trigger (a report opens one through its decision) and an invalid child', async () => {
    const fields = await fieldErrors(OpenInvestigationRequest, {
      trigger: 'concern-report',
      child: { personnummer: '201505152388' },
      openedAt: 'today',
    });
    expect(fields.map((f) => f.field).sort()).toEqual(['child.personnummer', 'openedAt', 'trigger']);
    expect(JSON.stringify(fields)).not.toContain('201505152388');
  });
});

describe('InvestigationQuery', () => {
  it('reads overdue, reportId and paging from query strings; rejects anything else per field', async () => {
    const ok = await validateDto(InvestigationQuery, { overdue: 'true', page: '2' }, 'query');
    expect(ok.ok && ok.dto).toMatchObject({ overdue: true, page: 2, pageSize: 20 });
    const fields = await fieldErrors(
      InvestigationQuery,
      { overdue: 'yes', reportId: 'x', sort: 'due' },
      'query',
    );
    expect(fields.map((f) => f.field).sort()).toEqual(['overdue', 'reportId', 'sort']);
  });
});
