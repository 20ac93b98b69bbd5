import { catalogEntry } from '@samverkan/contracts';
import { validateRequest } from '@samverkan/platform';
import { EnrollRequest, WithdrawRequest } from './enrollment.dto';
import {
  participantKey,
  participantRuleErrors,
  placeFor,
  promotions,
  waitlistPosition,
} from './enrollment-rules';

const AF = catalogEntry('aktivt-foraldraskap-3-12')!;
const SKILDA = catalogEntry('skilda-varldar')!;
const PARENT_PNR = '198001012387';

describe('EnrollRequest (400 per field)', () => {
  it('normalizes a 10-digit personnummer to 12 digits', async () => {
    const outcome = await validateRequest(EnrollRequest, {
      participant: { role: 'parent', personnummer: '800101-2387' },
      child: { personnummer: '150515-2387' },
    });
    expect(outcome).toMatchObject({
      ok: true,
      value: { participant: { personnummer: PARENT_PNR }, child: { personnummer: '201505152387' } },
    });
  });

  it.each([
    ['referralId', { referralId: 'not-a-uuid' }],
    ['participant.role', { participant: { role: 'grandparent', alias: 'A' } }],
    ['participant.personnummer', { participant: { role: 'parent', personnummer: '198001012384' } }],
    ['participant.alias', { participant: { role: 'parent', alias: '' } }],
    [
      'participant.contact.email',
      { participant: { role: 'parent', alias: 'A', contact: { email: 'nope' } } },
    ],
    [
      'participant.contact.phone',
      { participant: { role: 'parent', alias: 'A', contact: { phone: 'call me' } } },
    ],
    ['child.personnummer', { participant: { role: 'parent', alias: 'A' }, child: { personnummer: '1' } }],
    ['participant.name', { participant: { role: 'parent', alias: 'A', name: 'Full Name' } }],
  ])('names %s and never echoes the value', async (field, value) => {
    const outcome = await validateRequest(EnrollRequest, value);
    expect(outcome.ok ? [] : outcome.fields.map((f) => f.field)).toEqual([field]);
    expect(JSON.stringify(outcome)).not.toMatch(/198001012384|call me|Full Name/);
  });

  it('withdrawal reasons come from the contract', async () => {
    expect((await validateRequest(WithdrawRequest, { reason: 'moved' })).ok).toBe(true);
    expect(await validateRequest(WithdrawRequest, { reason: 'bored' })).toMatchObject({
      ok: false,
      fields: [{ field: 'reason' }],
    });
  });
});

describe('participantRuleErrors: identity by basis', () => {
  it('a course given as a service takes an alias without a personnummer', () => {
    expect(
      participantRuleErrors(
        { role: 'parent', alias: 'Mamma till två' },
        AF,
        'service-without-needs-assessment',
      ),
    ).toEqual([]);
  });

  it('a course given after a decision requires the personnummer', () => {
    expect(participantRuleErrors({ role: 'child', alias: 'Kim' }, SKILDA, 'after-decision')).toEqual([
      expect.objectContaining({ field: 'participant.personnummer' }),
    ]);
    expect(
      participantRuleErrors({ role: 'child', personnummer: '201505152387' }, SKILDA, 'after-decision'),
    ).toEqual([]);
  });

  it('needs an alias when there is no personnummer, and the role the programme is for', () => {
    expect(participantRuleErrors({ role: 'parent' }, AF, 'service-without-needs-assessment')).toEqual([
      expect.objectContaining({ field: 'participant.alias' }),
    ]);
    expect(
      participantRuleErrors({ role: 'child', alias: 'K' }, AF, 'service-without-needs-assessment'),
    ).toEqual([expect.objectContaining({ field: 'participant.role' })]);
  });
});

describe('participantKey: duplicates', () => {
  it('is the same for the same person, different for another, and holds no personal data', () => {
    const a = participantKey({ role: 'parent', personnummer: PARENT_PNR });
    expect(participantKey({ role: 'parent', personnummer: PARENT_PNR, alias: 'x' })).toBe(a);
    expect(participantKey({ role: 'parent', personnummer: '201505152387' })).not.toBe(a);
    expect(a).not.toContain(PARENT_PNR);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an alias with its contact, case and spacing aside', () => {
    const key = participantKey({ role: 'parent', alias: 'Anna', contact: { email: 'A@x.se' } });
    expect(participantKey({ role: 'parent', alias: ' anna ', contact: { email: 'a@x.se' } })).toBe(key);
    expect(participantKey({ role: 'parent', alias: 'Anna', contact: { email: 'b@x.se' } })).not.toBe(key);
  });
});

describe('waitlist', () => {
  const waitlist = [
    { id: 'c', waitlistSeq: 7 },
    { id: 'a', waitlistSeq: 2 },
    { id: 'b', waitlistSeq: 5 },
  ];

  it('a place while fewer than capacity hold one', () => {
    expect(placeFor(2, 1)).toBe('enrolled');
    expect(placeFor(2, 2)).toBe('waitlisted');
  });

  it('promotes the first in line for each freed place', () => {
    expect(promotions(waitlist, 1, true).map((e) => e.id)).toEqual(['a']);
    expect(promotions(waitlist, 2, true).map((e) => e.id)).toEqual(['a', 'b']);
    expect(promotions(waitlist, 5, true).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  it('promotes nobody when no place is free or the programme admits no one any more', () => {
    expect(promotions(waitlist, 0, true)).toEqual([]);
    expect(promotions(waitlist, 1, false)).toEqual([]);
  });

  it('positions count from 1 in order', () => {
    expect(waitlistPosition(waitlist, 'a')).toBe(1);
    expect(waitlistPosition(waitlist, 'c')).toBe(3);
    expect(waitlistPosition(waitlist, 'z')).toBeNull();
  });
});
