import 'reflect-metadata';
import { AppError, createValidationPipe, type FieldError } from '@samverkan/platform';
import { FlagSchoolAbsenceRequest } from '../school-absence/school-absence-flag.dto';
import { SearchSharedInterventionsRequest } from '../shared-interventions/shared-interventions.dto';
import { GrantConsentRequest } from './consent.dto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const PNR = '191212121212';
const pipe = createValidationPipe();

async function fieldErrors(metatype: new () => object, body: unknown): Promise<FieldError[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof AppError) return error.fields;
    throw error;
  }
  return [];
}

const consent = (change: (b: Loose) => void = () => undefined): Loose => {
  const body: Loose = {
    child: { personnummer: PNR },
    parties: ['education', 'social-services'],
    informationKinds: ['interventions'],
    purpose: 'coordinated-support',
    validFrom: '2026-12-01',
    validTo: '2027-06-30',
    grantedBy: 'both-guardians',
  };
  change(body);
  return body;
};

const absence = (change: (b: Loose) => void = () => undefined): Loose => {
  const body: Loose = {
    child: { personnummer: PNR },
    schoolUnitCode: '12345678',
    period: { from: '2026-09-01', to: '2026-11-20' },
    absenceRate: 0.2,
  };
  change(body);
  return body;
};

describe('POST /consents body', () => {
  it('accepts a complete consent', async () => {
    expect(await fieldErrors(GrantConsentRequest, consent())).toEqual([]);
  });

  it.each<[string, (b: Loose) => void, string]>([
    ['a bad personnummer', (b) => (b.child.personnummer = '191212121213'), 'child.personnummer'],
    ['one party only', (b) => (b.parties = ['education']), 'parties'],
    ['parties without education', (b) => (b.parties = ['social-services', 'leisure']), 'parties'],
    ['an unknown agency', (b) => (b.parties = ['education', 'police']), 'parties'],
    ['no information kinds', (b) => (b.informationKinds = []), 'informationKinds'],
    ['an unknown information kind', (b) => (b.informationKinds = ['gossip']), 'informationKinds'],
    ['an unknown purpose', (b) => (b.purpose = 'curiosity'), 'purpose'],
    ['an impossible date', (b) => (b.validFrom = '2026-02-30'), 'validFrom'],
    ['a date-time instead of a date', (b) => (b.validTo = '2027-06-30T00:00:00Z'), 'validTo'],
    ['an unknown consent giver', (b) => (b.grantedBy = 'neighbour'), 'grantedBy'],
    ['an empty purpose description', (b) => (b.purposeDescription = ''), 'purposeDescription'],
  ])('rejects %s with one message on its field', async (_name, change, field) => {
    const errors = await fieldErrors(GrantConsentRequest, consent(change));
    expect(errors).toEqual([{ field, message: expect.any(String) }]);
    expect(JSON.stringify(errors)).not.toContain(PNR);
  });
});

describe('POST /school-absence-flags body', () => {
  it('accepts a flag without the optional fields', async () => {
    expect(await fieldErrors(FlagSchoolAbsenceRequest, absence())).toEqual([]);
  });

  it.each<[string, (b: Loose) => void, string]>([
    ['a bad personnummer', (b) => (b.child.personnummer = '12345'), 'child.personnummer'],
    ['a bad school unit code', (b) => (b.schoolUnitCode = '1234'), 'schoolUnitCode'],
    ['an impossible period start', (b) => (b.period.from = '2026-13-01'), 'period.from'],
    ['a rate above 1', (b) => (b.absenceRate = 1.5), 'absenceRate'],
    ['a negative rate', (b) => (b.absenceRate = -0.1), 'absenceRate'],
    ['a rate as text', (b) => (b.absenceRate = '20%'), 'absenceRate'],
    ['an unexcused rate above 1', (b) => (b.unexcusedRate = 2), 'unexcusedRate'],
    ['a school year beyond 10', (b) => (b.schoolYear = 11), 'schoolYear'],
    ['a fractional school year', (b) => (b.schoolYear = 7.5), 'schoolYear'],
  ])('rejects %s with one message on its field', async (_name, change, field) => {
    expect(await fieldErrors(FlagSchoolAbsenceRequest, absence(change))).toEqual([
      { field, message: expect.any(String) },
    ]);
  });
});

describe('POST /shared-interventions/search body', () => {
  it('takes the personnummer in 10 or 12 digits and nothing else', async () => {
    expect(await fieldErrors(SearchSharedInterventionsRequest, { personnummer: '121212+1212' })).toEqual([]);
    const extra = await fieldErrors(SearchSharedInterventionsRequest, { personnummer: PNR, name: 'x' });
    expect(extra.map((e) => e.field)).toEqual(['name']);
    const bad = await fieldErrors(SearchSharedInterventionsRequest, { personnummer: '191212121213' });
    expect(bad).toEqual([{ field: 'personnummer', message: expect.stringMatching(/check digit/) }]);
    expect(JSON.stringify(bad)).not.toContain('191212121213');
  });
});
