import { EVENT_EXAMPLES, EVENT_TYPES, personalDataFieldsOf } from '@samverkan/contracts';
import { fullPayload, MASK, maskedPayload } from './masking';
import { originalHeaders } from './replay-headers';

const FILED = 'samverkan.concern-report.filed.v1';
const buf = (value: unknown) => Buffer.from(JSON.stringify(value));

function valueAt(node: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  const isArray = head.endsWith('[]');
  const child = (node as Record<string, unknown> | undefined)?.[isArray ? head.slice(0, -2) : head];
  if (rest.length === 0) return isArray && Array.isArray(child) ? child : [child];
  if (isArray) return Array.isArray(child) ? child.flatMap((c) => valueAt(c, rest.join('.'))) : [];
  return valueAt(child, rest.join('.'));
}

describe('dead-letter payload masking', () => {
  it.each(EVENT_TYPES)('%s: every personal-data field present in the example is masked, the rest kept', (type) => {
    const example = EVENT_EXAMPLES[type];
    const { payload, parseable } = maskedPayload(type, buf(example));
    expect(parseable).toBe(true);
    const text = JSON.stringify(payload);
    for (const path of personalDataFieldsOf(type)) {
      for (const original of valueAt(example, path).filter((v) => v !== undefined && typeof v !== 'object')) {
        expect(text).not.toContain(JSON.stringify(original));
      }
      for (const masked of valueAt(payload, path).filter((v) => v !== undefined)) expect(masked).toBe(MASK);
    }
  });

  it('keeps the structure of a concern report and hides the child and the free text', () => {
    const example = EVENT_EXAMPLES[FILED];
    const { payload, masked } = maskedPayload(FILED, buf(example));
    const data = payload as Record<string, Record<string, unknown>>;
    expect(masked).toBe(true);
    expect(data.child.personnummer).toBe(MASK);
    expect(data.description).toBe(MASK);
    expect(data.reportId).toBe(example.reportId);
  });

  it('hides everything when the payload is not JSON or the type is unknown', () => {
    expect(maskedPayload(FILED, Buffer.from('{not json 19121212-1212'))).toEqual({ payload: null, masked: true, parseable: false });
    expect(maskedPayload('samverkan.unknown.v9', buf({ personnummer: '191212121212' }))).toEqual({
      payload: null,
      masked: true,
      parseable: true,
    });
    expect(maskedPayload(undefined, buf({ a: 1 })).payload).toBeNull();
  });

  it('privileged operators get JSON, or the raw text when it does not parse', () => {
    expect(fullPayload(buf({ a: 1 }))).toEqual({ payload: { a: 1 }, masked: false, parseable: true });
    expect(fullPayload(Buffer.from('oops'))).toEqual({ payload: 'oops', masked: false, parseable: false });
  });

  it("a replay drops the consumer kit's dlq_* headers and keeps the message's own", () => {
    expect(
      originalHeaders({ ce_id: 'x', ce_type: FILED, dlq_error_class: 'PermanentError', dlq_original_topic: 't', traceparent: 'tp' }),
    ).toEqual({ ce_id: 'x', ce_type: FILED, traceparent: 'tp' });
  });
});
