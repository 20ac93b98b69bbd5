import { CHILD_PNR, fieldErrors, validateDto } from '../../test/support/validate-dto';
import { consentRuleErrors } from './consent-rules';
import { GrantConsentRequest } from './consent.dto';

const valid = {
  child: { personnummer: CHILD_PNR },
  parties: ['social-services', 'education'],
  informationKinds: ['interventions'],
  purpose: 'coordinated-support',
  validFrom: '2026-12-01',
  validTo: '2027-06-30',
  grantedBy: 'both-guardians',
};

describe('GrantConsentRequest', () => {
  it('accepts a complete consent', async () => {
    const result = await validateDto(GrantConsentRequest, valid);
    expect(result.ok).toBe(true);
    expect(result.ok && consentRuleErrors(result.dto)).toEqual([]);
  });

  it('reports each invalid field', async () => {
    const fields = await fieldErrors(GrantConsentRequest, {
      child: { personnummer: '12345' },
      parties: ['social-services'],
      informationKinds: ['everything'],
      purpose: 'curiosity',
      validFrom: '2026-02-30',
      validTo: '2027-06-30',
      grantedBy: 'neighbour',
    });
    expect(fields.map((f) => f.field).sort()).toEqual([
      'child.personnummer',
      'grantedBy',
      'informationKinds',
      'parties',
      'purpose',
      'validFrom',
    ]);
  });

  it('must name social services among the parties', async () => {
    const fields = await fieldErrors(GrantConsentRequest, { ...valid, parties: ['education', 'leisure'] });
    expect(fields).toEqual([{ field: 'parties', message: expect.stringContaining('social-services') }]);
  });

  it('must not end before it begins', async () => {
    const result = await validateDto(GrantConsentRequest, { ...valid, validFrom: '2027-07-01' });
    expect(result.ok && consentRuleErrors(result.dto)).toEqual([
      { field: 'validTo', message: 'validTo must not be before validFrom' },
    ]);
  });
});
