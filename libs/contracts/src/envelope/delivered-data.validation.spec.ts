import { ContractErrorCode, ContractViolation } from '../errors';
import { EVENT_EXAMPLES } from '../events';
import { applyTransform, decide, NO_CONSENTS } from '../policy';
import { createEvent, decodeCloudEvent, encodeCloudEvent } from './cloud-event.codec';
import { validateDeliveredEventData } from './delivered-data.validation';

const KEY = 'a-test-pseudonym-key-of-at-least-32-bytes!';

function decided() {
  return createEvent('samverkan.concern-report.decided.v1', {
    source: '/samverkan/social-services',
    subject: 'ifo-child-1',
    municipality: '0781',
    data: EVENT_EXAMPLES['samverkan.concern-report.decided.v1'],
  });
}

function violation(fn: () => unknown): ContractViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContractViolation) return e;
    throw e;
  }
  throw new Error('expected a ContractViolation');
}

describe('audience copies on the wire (minimized / pseudonymized by the router)', () => {
  it('decodes the feedback a reporter gets: only reportId, outcome and decidedAt', () => {
    const event = decided();
    const copy = applyTransform(event, decide(event, 'education', NO_CONSENTS), KEY)!;
    expect(Object.keys(copy.data as object).sort()).toEqual(['decidedAt', 'outcome', 'reportId']);
    const msg = encodeCloudEvent(copy);
    const decoded = decodeCloudEvent(msg.headers, msg.value);
    expect(decoded.data).toEqual(copy.data);
    expect(decoded.legalbasis).toBe('reporter-feedback');
  });

  it('decodes a pseudonymized copy for reporting (no personnummer, name or free text)', () => {
    const event = createEvent('samverkan.concern-report.filed.v1', {
      source: '/samverkan/education',
      subject: 'edu-child-1',
      municipality: '0781',
      data: EVENT_EXAMPLES['samverkan.concern-report.filed.v1'],
    });
    const copy = applyTransform(event, decide(event, 'reporting', NO_CONSENTS), KEY)!;
    const msg = encodeCloudEvent(copy);
    expect(() => decodeCloudEvent(msg.headers, msg.value)).not.toThrow();
  });

  it('still rejects a minimized copy that lacks or breaks a field the copy must carry', () => {
    const minimized = {
      reportId: EVENT_EXAMPLES['samverkan.concern-report.decided.v1'].reportId,
      decidedAt: '2026-12-02T10:00:00+01:00',
    };
    const issues = validateDeliveredEventData(
      'samverkan.concern-report.decided.v1',
      minimized,
      'reporter-feedback',
    );
    expect(issues.map((i) => i.field)).toEqual(['outcome']);
    const wrong = { ...minimized, outcome: 'investigation-maybe' };
    expect(
      validateDeliveredEventData('samverkan.concern-report.decided.v1', wrong, 'reporter-feedback'),
    ).toHaveLength(1);
    const extra = { ...minimized, outcome: 'investigation-opened', gossip: 'x' };
    expect(
      validateDeliveredEventData('samverkan.concern-report.decided.v1', extra, 'reporter-feedback'),
    ).toEqual([{ field: 'gossip', message: 'is not allowed (unknown property)' }]);
  });

  it('treats the same partial data as invalid without a legal basis that explains it', () => {
    const event = decided();
    const copy = applyTransform(event, decide(event, 'education', NO_CONSENTS), KEY)!;
    const msg = encodeCloudEvent({ ...copy, legalbasis: undefined });
    expect(violation(() => decodeCloudEvent(msg.headers, msg.value)).code).toBe(
      ContractErrorCode.DATA_INVALID,
    );
    const full = encodeCloudEvent({ ...copy, legalbasis: 'duty-to-report' });
    expect(violation(() => decodeCloudEvent(full.headers, full.value)).code).toBe(
      ContractErrorCode.DATA_INVALID,
    );
  });
});
