import { ContractErrorCode, ContractViolation } from '../errors';
import { ConcernReportFiledV1, EventMap } from '../events';
import { CloudEvent } from './cloud-event';
import {
  createEvent,
  dataschemaFor,
  decodeCloudEvent,
  encodeCloudEvent,
  isEventOf,
  KafkaHeaderValue,
} from './cloud-event.codec';
import { validateEventData } from './event-data.validation';

// Loose view of a payload for breaking it on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

// "Tolvan Tolvansson", the Tax Agency's well-known test number: valid Luhn, obviously fictitious.
const PNR = '191212121212';
const CHILD_NAME = 'Tolvan Tolvansson';
const DESCRIPTION = 'Eleven berättade om oro hemma.';

function filedData(): ConcernReportFiledV1 {
  return {
    reportId: '0b6f0f9e-4a55-4a57-9a58-3f7d7b2b6e11',
    child: { personnummer: PNR, name: CHILD_NAME },
    reportingUnit: { schoolUnitCode: '12345678', municipality: '0781' },
    reporter: { role: 'teacher', name: 'Lärare Larsson', contact: { email: 'larare@skola.example' } },
    categories: ['neglect', 'school-absence'],
    description: DESCRIPTION,
    immediateDanger: false,
    filedAt: '2026-11-23T09:15:00Z',
  };
}

function filedEvent(): CloudEvent<
  'samverkan.concern-report.filed.v1',
  EventMap['samverkan.concern-report.filed.v1']
> {
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject: 'child-7f3a',
    municipality: '0781',
    data: filedData(),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
}

function catchViolation(fn: () => unknown): ContractViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContractViolation) return e;
    throw e;
  }
  throw new Error('expected a ContractViolation');
}

describe('CloudEvents binary-mode codec', () => {
  it('round-trips every attribute through headers and value', () => {
    const event = { ...filedEvent(), legalbasis: 'OSL 10:28' };
    const msg = encodeCloudEvent(event);
    expect(msg.key).toBe('child-7f3a');
    expect(msg.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: '/samverkan/education',
      ce_type: 'samverkan.concern-report.filed.v1',
      ce_time: event.time,
      ce_subject: 'child-7f3a',
      'content-type': 'application/json',
      ce_dataschema: dataschemaFor('samverkan.concern-report.filed.v1'),
      ce_municipality: '0781',
      ce_legalbasis: 'OSL 10:28',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    // kafkajs delivers Buffers; decode must accept them as well as strings.
    const asBuffers: Record<string, KafkaHeaderValue> = Object.fromEntries(
      Object.entries(msg.headers).map(([k, v]) => [k, Buffer.from(v)]),
    );
    const decoded = decodeCloudEvent(asBuffers, Buffer.from(msg.value));
    expect(decoded).toEqual(event);
    expect(isEventOf(decoded, 'samverkan.concern-report.filed.v1')).toBe(true);
  });

  it('omits optional headers that are not set', () => {
    const { traceparent: _t, ...event } = filedEvent();
    const msg = encodeCloudEvent(event);
    expect(msg.headers).not.toHaveProperty('traceparent');
    expect(msg.headers).not.toHaveProperty('ce_legalbasis');
    expect(decodeCloudEvent(msg.headers, msg.value)).toEqual(event);
  });

  it('createEvent fills id, time and dataschema', () => {
    const a = filedEvent();
    const b = filedEvent();
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.dataschema).toBe('urn:samverkan:schema:samverkan.concern-report.filed.v1');
    expect(Number.isNaN(Date.parse(a.time))).toBe(false);
  });

  const badHeaders: [string, string | undefined, string][] = [
    ['ce_specversion', '0.3', 'must be 1.0'],
    ['ce_specversion', undefined, 'is required'],
    ['ce_id', '', 'non-empty'],
    ['ce_id', undefined, 'is required'],
    ['ce_source', 'not a uri', 'URI-reference'],
    ['ce_type', 'concern-report.filed', 'samverkan.<aggregate>.<event>.v<major>'],
    ['ce_type', 'samverkan.concern-report.filed.v0', 'samverkan.<aggregate>.<event>.v<major>'],
    ['ce_time', '2026-11-23 09:15', 'RFC 3339'],
    ['ce_time', '2026-02-30T09:15:00Z', 'RFC 3339'],
    ['ce_subject', '', 'non-empty'],
    ['content-type', 'text/plain', 'application/json'],
    ['ce_dataschema', 'relative/path', 'absolute URI'],
    ['ce_municipality', '781', 'four-digit'],
    ['traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'W3C traceparent'],
    ['traceparent', 'garbage', 'W3C traceparent'],
    ['ce_legalbasis', '<script>', 'legal-basis reference'],
    ['ce_source', undefined, 'is required'],
    ['content-type', undefined, 'is required'],
    ['ce_municipality', undefined, 'is required'],
  ];

  it.each(badHeaders)('rejects %s = %p with an issue naming the header', (header, value, rule) => {
    const msg = encodeCloudEvent(filedEvent());
    const headers: Record<string, KafkaHeaderValue> = { ...msg.headers };
    if (value === undefined) delete headers[header];
    else headers[header] = value;
    const err = catchViolation(() => decodeCloudEvent(headers, msg.value));
    expect(err.code).toBe(ContractErrorCode.ENVELOPE_INVALID);
    expect(err.issues).toEqual([{ field: header, message: expect.stringContaining(rule) }]);
    expect(err.message).toContain(header);
  });

  it('rejects a header repeated with different values', () => {
    const msg = encodeCloudEvent(filedEvent());
    const err = catchViolation(() =>
      decodeCloudEvent({ ...msg.headers, ce_id: [Buffer.from('a'), Buffer.from('b')] }, msg.value),
    );
    expect(err.issues).toEqual([{ field: 'ce_id', message: 'must occur once' }]);
  });

  it('rejects a well-formed but unknown type', () => {
    const msg = encodeCloudEvent(filedEvent());
    const err = catchViolation(() =>
      decodeCloudEvent({ ...msg.headers, ce_type: 'samverkan.concern-report.teleported.v1' }, msg.value),
    );
    expect(err.code).toBe(ContractErrorCode.UNKNOWN_EVENT_TYPE);
    expect(err.message).not.toContain('teleported');
  });

  it('rejects a value that is not JSON, or missing', () => {
    const msg = encodeCloudEvent(filedEvent());
    expect(catchViolation(() => decodeCloudEvent(msg.headers, '{nope')).code).toBe(
      ContractErrorCode.NOT_JSON,
    );
    expect(catchViolation(() => decodeCloudEvent(msg.headers, null)).code).toBe(ContractErrorCode.NOT_JSON);
  });

  it('validates the data against the class of the type, nested fields included', () => {
    const msg = encodeCloudEvent(filedEvent());
    const data = filedData() as unknown as Loose;
    data.child.personnummer = '191212121213'; // wrong check digit
    data.reporter.contact.email = 'not-an-email';
    data.reportingUnit.schoolUnitCode = '1234';
    data.categories = ['neglect', 'aliens'];
    data.extra = 1;
    const err = catchViolation(() => decodeCloudEvent(msg.headers, JSON.stringify(data)));
    expect(err.code).toBe(ContractErrorCode.DATA_INVALID);
    expect(err.issues.map((i) => i.field).sort()).toEqual(
      [
        'categories',
        'child.personnummer',
        'extra',
        'reporter.contact.email',
        'reportingUnit.schoolUnitCode',
      ].sort(),
    );
  });

  it('can skip data validation, but never the envelope or the JSON check', () => {
    const msg = encodeCloudEvent(filedEvent());
    const bad = JSON.stringify({ ...filedData(), categories: [] });
    expect(decodeCloudEvent(msg.headers, bad, { validateData: false }).data).toEqual({
      ...filedData(),
      categories: [],
    });
    expect(catchViolation(() => decodeCloudEvent(msg.headers, bad)).code).toBe(
      ContractErrorCode.DATA_INVALID,
    );
    expect(catchViolation(() => decodeCloudEvent(msg.headers, '{', { validateData: false })).code).toBe(
      ContractErrorCode.NOT_JSON,
    );
  });

  it('never puts a rejected value into an issue or the message', () => {
    const data = filedData() as unknown as Loose;
    const badPnr = '191212121213';
    data.child.personnummer = badPnr;
    data.child.name = 12345678; // a number where a name belongs
    data.description = 'x'.repeat(10_001);
    data.reporter.contact.phone = `tel ${badPnr} ring`;
    data.categories = [badPnr];
    data[badPnr] = CHILD_NAME; // an unexpected key that is itself personal data
    const issues = validateEventData('samverkan.concern-report.filed.v1', data);
    expect(issues.length).toBeGreaterThanOrEqual(6);
    const err = new ContractViolation(ContractErrorCode.DATA_INVALID, issues);
    const everything = JSON.stringify(issues) + err.message;
    for (const leaked of [badPnr, '12345678', CHILD_NAME, 'xxxxxxxxxx'])
      expect(everything).not.toContain(leaked);
  });

  it('rejects non-object data and missing required nested objects', () => {
    expect(validateEventData('samverkan.concern-report.filed.v1', [])).toEqual([
      { field: '', message: 'must be a JSON object' },
    ]);
    const { child: _c, ...noChild } = filedData();
    expect(validateEventData('samverkan.concern-report.filed.v1', noChild).map((i) => i.field)).toContain(
      'child',
    );
  });

  it('createEvent throws on invalid data and invalid attributes', () => {
    const data = { ...filedData(), categories: [] };
    expect(
      catchViolation(() =>
        createEvent('samverkan.concern-report.filed.v1', {
          source: '/samverkan/education',
          subject: 's',
          municipality: '0781',
          data,
        }),
      ).issues,
    ).toEqual([{ field: 'categories', message: expect.any(String) }]);
    expect(
      catchViolation(() =>
        createEvent('samverkan.concern-report.filed.v1', {
          source: '/x',
          subject: 's',
          municipality: 'Ljungby',
          data: filedData(),
        }),
      ).issues,
    ).toEqual([{ field: 'ce_municipality', message: expect.any(String) }]);
  });

  it('does not compile with a payload of the wrong type', () => {
    const base = { source: '/samverkan/education', subject: 's', municipality: '0781' };
    expect(() =>
      createEvent('samverkan.concern-report.decided.v1', {
        ...base,
        // @ts-expect-error a filed payload is not a decided payload
        data: filedData(),
      }),
    ).toThrow(ContractViolation);
    expect(() =>
      // @ts-expect-error an unknown event type
      createEvent('samverkan.concern-report.teleported.v1', { ...base, data: {} }),
    ).toThrow(ContractViolation);
  });
});
