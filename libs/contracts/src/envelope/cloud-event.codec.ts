import { randomUUID } from 'node:crypto';
import { ContractErrorCode, ContractViolation, FieldIssue } from '../errors';
import { EventMap, EventType, isEventType } from '../events';
import {
  isAbsoluteUri,
  isEventTypeName,
  isMunicipalityCode,
  isRfc3339,
  isTraceparent,
  isUriReference,
} from '../events/common/formats';
import { CE_SPEC_VERSION, CloudEvent } from './cloud-event';
import { validateDeliveredEventData } from './delivered-data.validation';
import { validateEventData } from './event-data.validation';

/** What kafkajs hands a consumer for one header. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** A Kafka message in CloudEvents binary mode, ready for a producer. */
export interface EncodedMessage {
  key: string;
  headers: Record<string, string>;
  value: string;
}

export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  municipality: 'ce_municipality',
  legalbasis: 'ce_legalbasis',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

/** The JSON Schema URI of an event type's data; also the `$id` of the checked-in schema file. */
export function dataschemaFor(type: string): string {
  return `urn:samverkan:schema:${type}`;
}

/** The CloudEvents `source` of a hub service, e.g. `/samverkan/education`. */
export function eventSourceFor(service: string): string {
  return `/samverkan/${service}`;
}

export function encodeCloudEvent(event: CloudEvent): EncodedMessage {
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: event.specversion,
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.time]: event.time,
    [CE_HEADERS.subject]: event.subject,
    [CE_HEADERS.contentType]: JSON_CONTENT_TYPE,
    [CE_HEADERS.dataschema]: event.dataschema,
    [CE_HEADERS.municipality]: event.municipality,
  };
  if (event.legalbasis !== undefined) headers[CE_HEADERS.legalbasis] = event.legalbasis;
  if (event.traceparent !== undefined) headers[CE_HEADERS.traceparent] = event.traceparent;
  return { key: event.subject, headers, value: JSON.stringify(event.data) };
}

export interface DecodeOptions {
  /**
   * Validate `data` against the event class (default true). Class validation costs roughly 40 µs
   * for a concern report; a reader that re-validates later, or a benchmark measuring transport
   * alone, may turn it off. The envelope, the type and the JSON are always checked.
   */
  validateData?: boolean;
}

/**
 * Reads a binary-mode message back into a CloudEvent, checking every attribute and then the data
 * against the class of its type. Throws ContractViolation (ENVELOPE_INVALID, UNKNOWN_EVENT_TYPE,
 * NOT_JSON or DATA_INVALID); its issues name headers and fields, never values.
 */
export function decodeCloudEvent(
  headers: Record<string, KafkaHeaderValue>,
  value: Buffer | string | null,
  options: DecodeOptions = {},
): CloudEvent {
  const issues: FieldIssue[] = [];
  const read = (name: string, required: boolean): string | undefined =>
    readHeader(headers, name, required, issues);

  const specversion = read(CE_HEADERS.specversion, true);
  if (specversion !== undefined && specversion !== CE_SPEC_VERSION) {
    issues.push({ field: CE_HEADERS.specversion, message: `must be ${CE_SPEC_VERSION}` });
  }
  const id = read(CE_HEADERS.id, true);
  const source = read(CE_HEADERS.source, true);
  const type = read(CE_HEADERS.type, true);
  const time = read(CE_HEADERS.time, true);
  const subject = read(CE_HEADERS.subject, true);
  const contentType = read(CE_HEADERS.contentType, true);
  const dataschema = read(CE_HEADERS.dataschema, true);
  const municipality = read(CE_HEADERS.municipality, true);
  const legalbasis = read(CE_HEADERS.legalbasis, false);
  const traceparent = read(CE_HEADERS.traceparent, false);

  const attributeIssues = checkAttributes(
    {
      id,
      source,
      type,
      time,
      subject,
      dataschema,
      municipality,
      legalbasis,
      traceparent,
    },
    false,
  );
  issues.push(...attributeIssues);
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    issues.push({ field: CE_HEADERS.contentType, message: `must be ${JSON_CONTENT_TYPE}` });
  }
  if (issues.length > 0) throw new ContractViolation(ContractErrorCode.ENVELOPE_INVALID, issues);

  // All required attributes are present past this point.
  if (!isEventType(type)) {
    throw new ContractViolation(ContractErrorCode.UNKNOWN_EVENT_TYPE, [
      { field: CE_HEADERS.type, message: 'is not an event type of this contract version' },
    ]);
  }
  const data = parseJson(value, type);
  if (options.validateData !== false) {
    // An audience copy may be minimized or pseudonymized by the router; its `ce_legalbasis` says which.
    const dataIssues = validateDeliveredEventData(type, data, legalbasis);
    if (dataIssues.length > 0) throw new ContractViolation(ContractErrorCode.DATA_INVALID, dataIssues, type);
  }

  const event: CloudEvent = {
    specversion: CE_SPEC_VERSION,
    id: id!,
    source: source!,
    type,
    time: time!,
    subject: subject!,
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataschema!,
    municipality: municipality!,
    data,
  };
  if (legalbasis !== undefined) event.legalbasis = legalbasis;
  if (traceparent !== undefined) event.traceparent = traceparent;
  return event;
}

/** Narrows a decoded event to its payload type. */
export function isEventOf<T extends EventType>(
  event: CloudEvent,
  type: T,
): event is CloudEvent<T, EventMap[T]> {
  return event.type === type;
}

export interface CreateEventInit<T extends EventType> {
  source: string;
  subject: string;
  municipality: string;
  data: EventMap[T];
  id?: string;
  time?: string;
  traceparent?: string;
  legalbasis?: string;
}

/**
 * Builds a CloudEvent of a known type: a fresh UUID id, the current time and the type's
 * dataschema unless given. The envelope and the data are validated here, at the producer, so an
 * invalid event throws ContractViolation before it reaches an outbox.
 */
export function createEvent<T extends EventType>(
  type: T,
  init: CreateEventInit<T>,
): CloudEvent<T, EventMap[T]> {
  const event: CloudEvent<T, EventMap[T]> = {
    specversion: CE_SPEC_VERSION,
    id: init.id ?? randomUUID(),
    source: init.source,
    type,
    time: init.time ?? new Date().toISOString(),
    subject: init.subject,
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataschemaFor(type),
    municipality: init.municipality,
    data: init.data,
  };
  if (init.legalbasis !== undefined) event.legalbasis = init.legalbasis;
  if (init.traceparent !== undefined) event.traceparent = init.traceparent;
  assertValidCloudEvent(event);
  return event;
}

/** Validates an in-memory event exactly as decodeCloudEvent would validate it on the wire. */
export function assertValidCloudEvent(event: CloudEvent): void {
  const issues = checkAttributes(event, true);
  if (event.specversion !== CE_SPEC_VERSION)
    issues.push({ field: CE_HEADERS.specversion, message: `must be ${CE_SPEC_VERSION}` });
  if (event.datacontenttype !== JSON_CONTENT_TYPE)
    issues.push({ field: CE_HEADERS.contentType, message: `must be ${JSON_CONTENT_TYPE}` });
  if (issues.length > 0) throw new ContractViolation(ContractErrorCode.ENVELOPE_INVALID, issues);
  if (!isEventType(event.type)) {
    throw new ContractViolation(ContractErrorCode.UNKNOWN_EVENT_TYPE, [
      { field: CE_HEADERS.type, message: 'is not an event type of this contract version' },
    ]);
  }
  const dataIssues = validateEventData(event.type, event.data);
  if (dataIssues.length > 0)
    throw new ContractViolation(ContractErrorCode.DATA_INVALID, dataIssues, event.type);
}

interface Attributes {
  id?: string;
  source?: string;
  type?: string;
  time?: string;
  subject?: string;
  dataschema?: string;
  municipality?: string;
  legalbasis?: string;
  traceparent?: string;
}

const MAX_ATTRIBUTE_LENGTH = 1024;

function checkAttributes(a: Attributes, reportMissing: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field, message });
  const missing = (v: unknown) => v === undefined || v === null;
  if (
    !missing(a.id) &&
    (typeof a.id !== 'string' || a.id.trim() === '' || a.id.length > MAX_ATTRIBUTE_LENGTH)
  ) {
    bad(CE_HEADERS.id, `must be a non-empty string of at most ${MAX_ATTRIBUTE_LENGTH} characters`);
  }
  if (!missing(a.source) && !isUriReference(a.source)) bad(CE_HEADERS.source, 'must be a URI-reference');
  if (!missing(a.type) && !isEventTypeName(a.type)) {
    bad(CE_HEADERS.type, 'must match samverkan.<aggregate>.<event>.v<major>');
  }
  if (!missing(a.time) && !isRfc3339(a.time)) bad(CE_HEADERS.time, 'must be an RFC 3339 date-time');
  if (
    !missing(a.subject) &&
    (typeof a.subject !== 'string' || a.subject.trim() === '' || a.subject.length > MAX_ATTRIBUTE_LENGTH)
  ) {
    bad(CE_HEADERS.subject, `must be a non-empty string of at most ${MAX_ATTRIBUTE_LENGTH} characters`);
  }
  if (!missing(a.dataschema) && !isAbsoluteUri(a.dataschema))
    bad(CE_HEADERS.dataschema, 'must be an absolute URI');
  if (!missing(a.municipality) && !isMunicipalityCode(a.municipality)) {
    bad(CE_HEADERS.municipality, 'must be a four-digit SCB municipality code');
  }
  if (
    a.legalbasis !== undefined &&
    (typeof a.legalbasis !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._:§/()-]{0,199}$/.test(a.legalbasis))
  ) {
    bad(
      CE_HEADERS.legalbasis,
      'must be a legal-basis reference (letters, digits, space . _ : § / ( ) -, at most 200)',
    );
  }
  if (a.traceparent !== undefined && !isTraceparent(a.traceparent))
    bad(CE_HEADERS.traceparent, 'must be a W3C traceparent');
  // In-memory events (createEvent) have every attribute as a property; report absent ones too.
  if (reportMissing) {
    for (const key of ['id', 'source', 'type', 'time', 'subject', 'dataschema', 'municipality'] as const) {
      if (a[key] === undefined || a[key] === null) bad(CE_HEADERS[key], 'is required');
    }
  }
  return issues;
}

function readHeader(
  headers: Record<string, KafkaHeaderValue>,
  name: string,
  required: boolean,
  issues: FieldIssue[],
): string | undefined {
  let raw = headers[name];
  if (raw === undefined && name === CE_HEADERS.contentType) {
    // Header names are case-sensitive in Kafka, but content-type is commonly written Content-Type.
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    raw = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(raw)) {
    const distinct = [...new Set(raw.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)))];
    if (distinct.length > 1) {
      issues.push({ field: name, message: 'must occur once' });
      return undefined;
    }
    raw = distinct[0];
  }
  if (raw === undefined) {
    if (required) issues.push({ field: name, message: 'is required' });
    return undefined;
  }
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
}

function isJsonContentType(value: string): boolean {
  const [media] = value.split(';');
  return media.trim().toLowerCase() === JSON_CONTENT_TYPE;
}

function parseJson(value: Buffer | string | null, type: EventType): unknown {
  if (value === null || value.length === 0) {
    throw new ContractViolation(ContractErrorCode.NOT_JSON, [{ field: 'value', message: 'is empty' }], type);
  }
  try {
    return JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : value);
  } catch {
    throw new ContractViolation(
      ContractErrorCode.NOT_JSON,
      [{ field: 'value', message: 'is not valid JSON' }],
      type,
    );
  }
}
