/**
 * Builds the JSON Schemas (draft 2020-12) of every event's data from the class-validator classes,
 * plus a schema of the binary-mode envelope headers. Shared by the generator script and the drift
 * test, so the checked-in files are exactly what this produces.
 */
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import * as path from 'node:path';
import { ASYNCAPI_FILE, generateAsyncApi } from './asyncapi-generator';
import { canonicalKeyOrder } from './canonical-key-order';
import {
  CATALOG_CODES,
  catalogEntry,
  CE_HEADERS,
  dataschemaFor,
  EVENT_CLASSES,
  EVENT_EXAMPLES,
  EVENT_TYPE_PATTERN,
  EVENT_TYPES,
  InterventionKind,
  JSON_CONTENT_TYPE,
  nestedFieldsOfClass,
  personalDataOf,
  PersonalDataKind,
} from '@samverkan/contracts';

type Json = Record<string, unknown>;
type Ctor = abstract new (...args: never[]) => unknown;

export const SCHEMAS_DIR = path.resolve(__dirname, '..', 'schemas');
export const ENVELOPE_SCHEMA_FILE = 'envelope-headers.json';
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const DEFS = '#/$defs/';

// class-transformer keeps @Type metadata in a storage its typings do not export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: unknown;
};

const converters: ISchemaConverters = {
  isRfc3339: { type: 'string', format: 'date-time' },
  isCalendarDate: { type: 'string', format: 'date' },
  isMunicipalityCode: { type: 'string', pattern: '^[0-9]{4}$' },
  isSchoolUnitCode: { type: 'string', pattern: '^[0-9]{8}$' },
  isCanonicalPersonnummer: { type: 'string', pattern: '^[0-9]{12}$' },
  isCatalogCode: (meta) => {
    const kinds = meta.constraints?.[0] as InterventionKind[] | undefined;
    const codes = CATALOG_CODES.filter((c) => !kinds || kinds.includes(catalogEntry(c)!.kind));
    return { type: 'string', enum: [...codes] };
  },
};

/** Cross-field rules class-validator expresses with ValidateIf, written out for JSON Schema. */
const EXTRA: Record<string, Json> = {
  CourseParticipant: { anyOf: [{ required: ['personnummer'] }, { required: ['alias'] }] },
};

/** Every class reachable from the event classes, by name (names must be unique). */
function reachableClasses(): Map<string, Ctor> {
  const byName = new Map<string, Ctor>();
  const visit = (cls: Ctor) => {
    const known = byName.get(cls.name);
    if (known === cls) return;
    if (known)
      throw new Error(`Two contract classes are both named ${cls.name}; schema names must be unique`);
    byName.set(cls.name, cls);
    for (const spec of nestedFieldsOfClass(cls).values()) visit(spec.type());
  };
  for (const type of EVENT_TYPES) visit(EVENT_CLASSES[type]);
  return byName;
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (node === null || typeof node !== 'object') return;
  const obj = node as Json;
  if (obj.type === 'object' && obj.properties && obj.additionalProperties === undefined) {
    obj.additionalProperties = false;
  }
  for (const value of Object.values(obj)) closeObjects(value);
}

function refsIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(DEFS)) out.add(v.slice(DEFS.length));
      else refsIn(v, out);
    }
  }
  return out;
}

function definitions(): Record<string, Json> {
  const classes = reachableClasses();
  const all = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    classTransformerMetadataStorage: defaultMetadataStorage as never,
    refPointerPrefix: DEFS,
    additionalConverters: converters,
  }) as Record<string, Json>;
  const defs: Record<string, Json> = {};
  for (const name of [...classes.keys()].sort()) {
    const schema = all[name];
    if (!schema) throw new Error(`No validation metadata for contract class ${name}`);
    defs[name] = { ...schema, ...(EXTRA[name] ?? {}) };
  }
  closeObjects(defs);
  return defs;
}

/** Annotates each property holding personal data with `x-personal-data: <kind>`. */
function annotatePersonalData(
  root: Json,
  defs: Record<string, Json>,
  type: (typeof EVENT_TYPES)[number],
): void {
  for (const { path: dotted, kind } of personalDataOf(type)) {
    let node: Json = root;
    const segments = dotted.split('.');
    segments.forEach((segment, i) => {
      const isArray = segment.endsWith('[]');
      const key = isArray ? segment.slice(0, -2) : segment;
      let prop = (node.properties as Record<string, Json>)[key];
      if (i === segments.length - 1) {
        prop['x-personal-data'] = kind satisfies PersonalDataKind;
        return;
      }
      if (isArray) prop = prop.items as Json;
      node = resolve(prop, defs);
    });
  }
}

function resolve(node: Json, defs: Record<string, Json>): Json {
  const ref = node.$ref as string | undefined;
  return ref ? defs[ref.slice(DEFS.length)] : node;
}

function eventSchema(type: (typeof EVENT_TYPES)[number], allDefs: Record<string, Json>): Json {
  // Each file stands alone: its own copy of the nested definitions it uses.
  const defs = structuredClone(allDefs);
  const rootName = EVENT_CLASSES[type].name;
  const root = defs[rootName];
  annotatePersonalData(root, defs, type);
  const used = new Set<string>();
  const pending = [...refsIn(root, new Set())];
  while (pending.length) {
    const name = pending.pop()!;
    if (used.has(name)) continue;
    used.add(name);
    pending.push(...refsIn(defs[name], new Set()));
  }
  const $defs = Object.fromEntries([...used].sort().map((n) => [n, defs[n]]));
  return {
    $schema: DRAFT,
    $id: dataschemaFor(type),
    title: type,
    description: `Data of the CloudEvent ${type} (class ${rootName}). Generated by npm run schemas:generate; do not edit.`,
    ...root,
    examples: [EVENT_EXAMPLES[type]],
    ...(used.size ? { $defs } : {}),
  };
}

function envelopeHeadersSchema(): Json {
  const str = (extra: Json = {}): Json => ({ type: 'string', ...extra });
  return {
    $schema: DRAFT,
    $id: 'urn:samverkan:schema:envelope-headers',
    title: 'Samverkan CloudEvents 1.0 Kafka binary-mode headers',
    description:
      'Headers of every message on samverkan.* topics; the value is the JSON data. Generated by npm run schemas:generate; do not edit.',
    type: 'object',
    properties: {
      [CE_HEADERS.specversion]: str({ const: '1.0' }),
      [CE_HEADERS.id]: str({ minLength: 1, maxLength: 1024 }),
      [CE_HEADERS.source]: str({ minLength: 1, format: 'uri-reference' }),
      [CE_HEADERS.type]: str({ pattern: EVENT_TYPE_PATTERN.source, enum: [...EVENT_TYPES].sort() }),
      [CE_HEADERS.time]: str({ format: 'date-time' }),
      [CE_HEADERS.subject]: str({ minLength: 1, maxLength: 1024 }),
      [CE_HEADERS.contentType]: str({ pattern: `^${JSON_CONTENT_TYPE.replace('/', '\\/')}(;.*)?$` }),
      [CE_HEADERS.dataschema]: str({ format: 'uri' }),
      [CE_HEADERS.municipality]: str({ pattern: '^[0-9]{4}$' }),
      [CE_HEADERS.legalbasis]: str({ minLength: 1, maxLength: 200 }),
      [CE_HEADERS.traceparent]: str({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' }),
    },
    required: [
      CE_HEADERS.specversion,
      CE_HEADERS.id,
      CE_HEADERS.source,
      CE_HEADERS.type,
      CE_HEADERS.time,
      CE_HEADERS.subject,
      CE_HEADERS.contentType,
      CE_HEADERS.dataschema,
      CE_HEADERS.municipality,
    ],
    // Transport headers (DLQ metadata, tracing vendors) may ride along.
    additionalProperties: true,
  };
}

// The directory is in .prettierignore: this layout is the canonical one.
const toFile = (schema: Json): string => `${JSON.stringify(canonicalKeyOrder(schema), null, 2)}\n`;

/** File name → formatted file content, for every schema the repo checks in. */
export function generateSchemaFiles(): Map<string, string> {
  const defs = definitions();
  const raw = new Map<string, string>();
  for (const type of [...EVENT_TYPES].sort()) raw.set(`${type}.json`, toFile(eventSchema(type, defs)));
  raw.set(ENVELOPE_SCHEMA_FILE, toFile(envelopeHeadersSchema()));
  const parsed = new Map([...raw].map(([name, text]) => [name, JSON.parse(text) as Json]));
  raw.set(ASYNCAPI_FILE, generateAsyncApi(parsed));
  return raw;
}
