import { INFORMATION_KINDS } from '../events/consent/granted.v1.event';
import { EVENT_TYPES, EventType, personalDataFieldsOf } from '../events/event-map';
import { AUDIENCES } from '../topology';
import { isLegalBasisKey, LEGAL_BASES, LEGAL_BASIS_KEYS, legalBasisReference } from './legal-basis';
import {
  PRODUCERS_OF,
  SHARING_OUTCOMES,
  SHARING_POLICY,
  sharingPolicyRows,
  WITHHOLD_REASONS,
} from './sharing-policy';

// "CI fails if a contract event has no policy decision": these tests run in the unit tier.
describe('sharing policy completeness', () => {
  it.each(EVENT_TYPES.flatMap((type) => AUDIENCES.map((audience) => [type, audience] as const)))(
    '%s → %s has a decision',
    (type, audience) => {
      const rule = (SHARING_POLICY as Partial<Record<string, Partial<Record<string, { outcome: string }>>>>)[
        type
      ]?.[audience];
      expect(rule).toBeDefined();
      expect(SHARING_OUTCOMES).toContain(rule!.outcome);
    },
  );

  it('has no rules for event types that are not in the contract', () => {
    expect(Object.keys(SHARING_POLICY).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES)
      expect(Object.keys(SHARING_POLICY[type]).sort()).toEqual([...AUDIENCES].sort());
  });

  it('names a producer for every event type', () => {
    for (const type of EVENT_TYPES) expect(PRODUCERS_OF[type].length).toBeGreaterThan(0);
  });

  it('gives every delivering rule a known legal basis, and every withheld rule a known reason', () => {
    for (const { eventType, audience, rule } of sharingPolicyRows()) {
      const where = `${eventType} → ${audience}`;
      if (rule.outcome === 'withheld') {
        expect({ where, ok: WITHHOLD_REASONS.includes(rule.reason) }).toEqual({ where, ok: true });
      } else {
        expect({ where, ok: isLegalBasisKey(rule.legalBasis) }).toEqual({ where, ok: true });
      }
      if ((rule.outcome === 'full' || rule.outcome === 'minimized') && rule.consentRequired) {
        expect(INFORMATION_KINDS).toContain(rule.consentRequired.informationKind);
      }
    }
  });

  it('sends reporting nothing but pseudonymized copies', () => {
    for (const type of EVENT_TYPES) {
      expect({ type, outcome: SHARING_POLICY[type].reporting.outcome }).toEqual({
        type,
        outcome: 'pseudonymized',
      });
    }
  });

  it('delivers in full without consent only under the duty to report, or when there is no personal data', () => {
    for (const { eventType, audience, rule } of sharingPolicyRows()) {
      if (rule.outcome !== 'full' || rule.consentRequired || rule.condition) continue;
      const where = `${eventType} → ${audience}`;
      expect({ where, basis: rule.legalBasis }).toEqual({
        where,
        basis: expect.stringMatching(/^(duty-to-report|no-personal-data)$/),
      });
      if (rule.legalBasis === 'no-personal-data') {
        expect({ where, fields: personalDataFieldsOf(eventType) }).toEqual({ where, fields: [] });
      }
    }
  });

  it('minimizes only to fields that are not personal data', () => {
    for (const { eventType, rule } of sharingPolicyRows()) {
      if (rule.outcome !== 'minimized') continue;
      const personal = personalDataFieldsOf(eventType);
      for (const field of rule.minimizedFields) {
        expect(personal.some((p) => p === field || p.startsWith(`${field}.`))).toBe(false);
      }
      expect(rule.minimizedFields).toContain(rule.subjectFrom);
    }
  });

  it('the concern-report rules of issue 3 are as the law says', () => {
    const type: EventType = 'samverkan.concern-report.filed.v1';
    expect(SHARING_POLICY[type]['social-services']).toMatchObject({
      outcome: 'full',
      legalBasis: 'duty-to-report',
    });
    expect(SHARING_POLICY['samverkan.concern-report.decided.v1'].education).toMatchObject({
      outcome: 'minimized',
      legalBasis: 'reporter-feedback',
      minimizedFields: ['reportId', 'outcome', 'decidedAt'],
    });
    expect(SHARING_POLICY['samverkan.concern-report.protection-assessed.v1'].education.outcome).toBe(
      'withheld',
    );
    expect(SHARING_POLICY['samverkan.intervention.started.v1'].education).toMatchObject({
      consentRequired: { informationKind: 'interventions' },
    });
  });
});

describe('legal bases', () => {
  it('holds a reference for every basis that carries personal data', () => {
    for (const key of LEGAL_BASIS_KEYS) {
      expect(LEGAL_BASES[key].key).toBe(key);
      if (key !== 'no-personal-data') expect(legalBasisReference(key)).not.toBe('');
    }
    expect(legalBasisReference('consent')).toBe('OSL (2009:400) 12 kap. 2 §');
    expect(legalBasisReference('reporter-feedback')).toContain(
      'SoL (2001:453) 14 kap. 1 b § (tidigare lydelse)',
    );
    expect(legalBasisReference('duty-to-report')).toContain('OSL (2009:400) 10 kap. 28 §');
  });
});
