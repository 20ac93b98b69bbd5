import { catalogEntry } from '@samverkan/contracts';
import { CHILD_PNR, CHILD_PNR_10, fieldErrors, validateDto } from '../../test/support/validate-dto';
import { interventionRuleErrors } from './intervention-rules';
import { CreateInterventionRequest, EndInterventionRequest } from './intervention.dto';

async function rules(body: Record<string, unknown>) {
  const result = await validateDto(CreateInterventionRequest, body);
  if (!result.ok) throw new Error(`DTO invalid: ${JSON.stringify(result.fields)}`);
  return interventionRuleErrors(result.dto, catalogEntry(result.dto.catalogCode)!);
}

describe('CreateInterventionRequest', () => {
  const started = {
    stage: 'started',
    catalogCode: 'familjebehandling',
    basis: 'after-decision',
    child: { personnummer: CHILD_PNR },
  };

  it('accepts a started intervention after a decision and normalizes a 10-digit personnummer', async () => {
    const result = await validateDto(CreateInterventionRequest, {
      ...started,
      child: { personnummer: CHILD_PNR_10 },
    });
    expect(result.ok && result.dto.child?.personnummer).toBe(CHILD_PNR);
    expect(await rules(started)).toEqual([]);
  });

  it('reports each invalid field: stage, catalog code, basis, personnummer (without the value), time', async () => {
    const fields = await fieldErrors(CreateInterventionRequest, {
      stage: 'planned',
      catalogCode: 'not-a-programme',
      basis: 'court-order',
      child: { personnummer: '201505152388' },
      at: 'now',
    });
    expect(fields.map((f) => f.field).sort()).toEqual([
      'at',
      'basis',
      'catalogCode',
      'child.personnummer',
      'stage',
    ]);
    expect(fields.find((f) => f.field === 'child.personnummer')?.message).toContain('check digit');
    expect(JSON.stringify(fields)).not.toContain('201505152388');
  });

  it('requires a personnummer after a decision', async () => {
    expect(await rules({ ...started, child: undefined })).toEqual([
      { field: 'child.personnummer', message: expect.stringContaining('after a decision') },
    ]);
  });

  it('allows an anonymous participant for a service without a needs assessment', async () => {
    expect(
      await rules({
        stage: 'started',
        catalogCode: 'rad-och-stodsamtal',
        basis: 'service-without-needs-assessment',
      }),
    ).toEqual([]);
  });

  it('rejects a basis the catalog does not allow for the code', async () => {
    // Aktivt föräldraskap is a service only; familjebehandling only after a decision.
    expect(
      await rules({
        stage: 'referred',
        catalogCode: 'aktivt-foraldraskap-3-12',
        basis: 'after-decision',
        child: { personnummer: CHILD_PNR },
      }),
    ).toEqual([{ field: 'basis', message: expect.stringContaining('service-without-needs-assessment') }]);
    expect(
      (await rules({ ...started, basis: 'service-without-needs-assessment' })).map((e) => e.field),
    ).toEqual(['basis']);
  });

  it('starts only what social services provides; others are referred', async () => {
    const opp = {
      catalogCode: 'opp',
      basis: 'service-without-needs-assessment',
      child: { personnummer: CHILD_PNR },
    };
    expect((await rules({ ...opp, stage: 'started' })).map((e) => e.field)).toEqual(['catalogCode']);
    expect(await rules({ ...opp, stage: 'referred' })).toEqual([]);
  });

  it('keeps referral fields on referrals and start fields on starts', async () => {
    const errors = await rules({
      ...started,
      courseId: '5d2c2a1e-8f0e-4f5b-9b0a-6f4c1d2e3a4b',
      receivingUnit: { agency: 'leisure', unitCode: 'familjecentralen', municipality: '0781' },
    });
    expect(errors.map((e) => e.field)).toEqual(['receivingUnit', 'courseId']);
    const referral = await rules({
      stage: 'referred',
      catalogCode: 'skilda-varldar',
      basis: 'after-decision',
      child: { personnummer: CHILD_PNR },
      schoolYear: 4,
    });
    expect(referral.map((e) => e.field)).toEqual(['schoolYear']);
  });

  it('validates a nested receiving unit field by field', async () => {
    const fields = await fieldErrors(CreateInterventionRequest, {
      stage: 'referred',
      catalogCode: 'skilda-varldar',
      basis: 'after-decision',
      child: { personnummer: CHILD_PNR },
      receivingUnit: { agency: 'police', unitCode: 'x', municipality: '781' },
    });
    expect(fields.map((f) => f.field).sort()).toEqual(['receivingUnit.agency', 'receivingUnit.municipality']);
  });
});

describe('EndInterventionRequest', () => {
  it('needs a reason from the contract list', async () => {
    expect((await validateDto(EndInterventionRequest, { reason: 'completed' })).ok).toBe(true);
    expect((await fieldErrors(EndInterventionRequest, { reason: 'bored' })).map((f) => f.field)).toEqual([
      'reason',
    ]);
  });
});
