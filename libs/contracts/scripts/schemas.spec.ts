import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  backwardCompatibilityIssues,
  createEvent,
  describeIncompatibility,
  encodeCloudEvent,
  EVENT_EXAMPLES,
  EVENT_TYPES,
  EventType,
} from '@samverkan/contracts';
import { parse } from 'yaml';
import { ASYNCAPI_FILE } from './asyncapi-generator';
import { normalizeForCompatibility, publishedDir, unpublished } from './published-schemas';
import { ENVELOPE_SCHEMA_FILE, generateSchemaFiles, SCHEMAS_DIR } from './schema-generator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

describe('checked-in JSON Schemas', () => {
  let generated: Map<string, string>;
  beforeAll(() => {
    generated = generateSchemaFiles();
  }, 30_000);

  const load = (name: string): Loose =>
    JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, name), 'utf8')) as Loose;

  it('match what the event classes generate (no drift)', () => {
    const onDisk = fs.readdirSync(SCHEMAS_DIR).filter((f) => /\.(json|yaml)$/.test(f));
    const problems = [
      ...[...generated.keys()].filter((f) => !onDisk.includes(f)).map((f) => `missing ${f}`),
      ...onDisk.filter((f) => !generated.has(f)).map((f) => `stale ${f}`),
      ...onDisk
        .filter(
          (f) => generated.has(f) && fs.readFileSync(path.join(SCHEMAS_DIR, f), 'utf8') !== generated.get(f),
        )
        .map((f) => `changed ${f}`),
    ];
    if (problems.length > 0) {
      throw new Error(
        `libs/contracts/schemas is out of date with the event classes (${problems.join(', ')}). ` +
          'Run `npm run schemas:generate` and commit the result.',
      );
    }
    expect(onDisk).toHaveLength(EVENT_TYPES.length + 2);
  });

  it('every event schema has a frozen published copy', () => {
    const missing = unpublished(
      SCHEMAS_DIR,
      EVENT_TYPES.map((t) => `${t}.json`),
    );
    if (missing.length > 0) {
      throw new Error(
        `No published copy of ${missing.join(', ')}. Run \`npm run schemas:generate\` and commit the result.`,
      );
    }
    expect(fs.readdirSync(publishedDir(SCHEMAS_DIR)).length).toBeGreaterThanOrEqual(EVENT_TYPES.length);
  });

  it.each(EVENT_TYPES)('%s: is BACKWARD compatible with its published version', (type: EventType) => {
    const file = `${type}.json`;
    const published = JSON.parse(
      fs.readFileSync(path.join(publishedDir(SCHEMAS_DIR), file), 'utf8'),
    ) as unknown;
    // The baseline is the frozen copy; documentation and the growing catalog code list are normalized away.
    const current = normalizeForCompatibility(JSON.parse(generated.get(file)!));
    const issues = backwardCompatibilityIssues(published, current);
    if (issues.length > 0) throw new Error(describeIncompatibility(type, issues));
    expect(issues).toEqual([]);
  });

  it('the compatibility gate names event, field and rule for real schemas edited incompatibly', () => {
    const type = 'samverkan.concern-report.decided.v1';
    const published = JSON.parse(
      fs.readFileSync(path.join(publishedDir(SCHEMAS_DIR), `${type}.json`), 'utf8'),
    ) as Loose;
    const edited = structuredClone(published);
    edited.properties.outcome.enum.pop();
    edited.required.push('note');
    edited.properties.note = { type: 'string' };
    const issues = backwardCompatibilityIssues(published, edited);
    expect(issues.map((i) => `${i.field}:${i.rule}`).sort()).toEqual([
      'note:required-added',
      'outcome:enum-narrowed',
    ]);
    expect(describeIncompatibility(type, issues)).toContain('samverkan.concern-report.decided.v2');
    const widened = structuredClone(published);
    widened.properties.outcome.enum.push('a-new-outcome');
    expect(backwardCompatibilityIssues(published, widened)).toEqual([]);
  });

  it('the compatibility check notices a changed rule but not changed documentation', () => {
    const schema = JSON.parse(generated.get('samverkan.concern-report.decided.v1.json')!) as Loose;
    const docOnly = structuredClone(schema);
    docOnly.description = 'reworded';
    docOnly.examples = [];
    expect(normalizeForCompatibility(docOnly)).toEqual(normalizeForCompatibility(schema));
    const narrowed = structuredClone(schema);
    narrowed.properties.outcome.enum.pop();
    expect(normalizeForCompatibility(narrowed)).not.toEqual(normalizeForCompatibility(schema));
    const longer = JSON.parse(generated.get('samverkan.concern-report.filed.v1.json')!) as Loose;
    const before = normalizeForCompatibility(longer);
    longer.properties.description.maxLength = 5000; // a property named like a doc keyword still counts
    expect(normalizeForCompatibility(longer)).not.toEqual(before);
    const newRequired = structuredClone(schema);
    newRequired.required.push('reporterUnit');
    expect(normalizeForCompatibility(newRequired)).not.toEqual(normalizeForCompatibility(schema));
  });

  function ajv(): Ajv2020 {
    const instance = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats(instance);
    instance.addKeyword('x-personal-data');
    return instance;
  }

  function closedEverywhere(node: unknown, where: string, out: string[]): string[] {
    if (Array.isArray(node)) node.forEach((n, i) => closedEverywhere(n, `${where}/${i}`, out));
    else if (node && typeof node === 'object') {
      const obj = node as Loose;
      if (obj.properties && obj.additionalProperties !== false) out.push(where);
      for (const [k, v] of Object.entries(obj))
        if (k !== 'examples') closedEverywhere(v, `${where}/${k}`, out);
    }
    return out;
  }

  it.each(EVENT_TYPES)(
    '%s: compiles, closes every object, accepts its example, rejects extras',
    (type: EventType) => {
      const schema = load(`${type}.json`);
      expect(closedEverywhere(schema, '#', [])).toEqual([]);
      const validate = ajv().compile(schema);
      const example = structuredClone(EVENT_EXAMPLES[type]) as Loose;
      expect(validate(example)).toBe(true);
      expect(validate({ ...example, extra: 1 })).toBe(false);
      const nested = Object.keys(example).find(
        (k) => example[k] && typeof example[k] === 'object' && !Array.isArray(example[k]),
      );
      if (nested) {
        example[nested].extra = 1;
        expect(validate(example)).toBe(false);
      }
    },
  );

  it('marks personal data and writes out the personnummer-or-alias rule', () => {
    const filed = load('samverkan.concern-report.filed.v1.json');
    expect(filed.properties.description['x-personal-data']).toBe('free-text');
    expect(filed.$defs.NamedChildIdentity.properties.personnummer['x-personal-data']).toBe('identity');
    const validate = ajv().compile(load('samverkan.course.participant-waitlisted.v1.json'));
    const example = structuredClone(EVENT_EXAMPLES['samverkan.course.participant-waitlisted.v1']) as Loose;
    delete example.participant.alias;
    expect(validate(example)).toBe(false);
  });

  it('restricts course events to course programme codes', () => {
    const codes = load('samverkan.course.scheduled.v1.json').properties.catalogCode.enum as string[];
    expect(codes).toContain('skilda-varldar');
    expect(codes).not.toContain('mobila-teamet');
  });

  it('envelope header schema accepts what the codec writes', () => {
    const validate = ajv().compile(load(ENVELOPE_SCHEMA_FILE));
    const event = createEvent('samverkan.consent.withdrawn.v1', {
      source: '/samverkan/education',
      subject: 's-1',
      municipality: '0781',
      data: EVENT_EXAMPLES['samverkan.consent.withdrawn.v1'],
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    const { headers } = encodeCloudEvent(event);
    expect(validate(headers)).toBe(true);
    expect(validate({ ...headers, ce_municipality: '781' })).toBe(false);
  });

  describe('AsyncAPI document', () => {
    const doc = (): Loose => parse(fs.readFileSync(path.join(SCHEMAS_DIR, ASYNCAPI_FILE), 'utf8')) as Loose;
    const resolve = (root: Loose, ref: string): unknown =>
      ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Loose | undefined)?.[key], root);

    it('is AsyncAPI 3.0 and every internal reference resolves', () => {
      const d = doc();
      expect(d.asyncapi).toBe('3.0.0');
      const refs: string[] = [];
      const walk = (n: unknown) => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object')
          for (const [k, v] of Object.entries(n as Loose)) {
            if (k === '$ref' && typeof v === 'string') refs.push(v);
            else walk(v);
          }
      };
      walk(d);
      const internal = refs.filter((r) => r.startsWith('#/'));
      expect(internal.length).toBeGreaterThan(50);
      for (const ref of internal) expect([ref, resolve(d, ref) !== undefined]).toEqual([ref, true]);
      for (const ref of refs.filter((r) => r.startsWith('./'))) {
        expect(fs.existsSync(path.join(SCHEMAS_DIR, ref))).toBe(true);
      }
    });

    it('describes reporting payloads without any personal-data field', () => {
      const d = doc();
      const reporting = d.channels['audience-reporting'].messages as Record<string, { $ref: string }>;
      expect(Object.keys(reporting).length).toBeGreaterThan(0);
      // The payload with every component schema it references, inlined for the check.
      const expand = (n: unknown, depth = 0): unknown => {
        if (depth > 20) throw new Error('reference cycle');
        if (Array.isArray(n)) return n.map((x) => expand(x, depth + 1));
        if (!n || typeof n !== 'object') return n;
        const ref = (n as Loose).$ref as string | undefined;
        if (ref) {
          expect(ref.startsWith('#/components/schemas/')).toBe(true); // derived, never the full source schema
          return expand(resolve(d, ref), depth + 1);
        }
        return Object.fromEntries(Object.entries(n as Loose).map(([k, v]) => [k, expand(v, depth + 1)]));
      };
      const propertyNames = (n: unknown, out: Set<string>): Set<string> => {
        if (Array.isArray(n)) n.forEach((x) => propertyNames(x, out));
        else if (n && typeof n === 'object') {
          for (const [k, v] of Object.entries(n as Loose)) {
            if (k === 'properties' && v && typeof v === 'object') Object.keys(v).forEach((p) => out.add(p));
            if (k === 'x-personal-data') out.add(k);
            propertyNames(v, out);
          }
        }
        return out;
      };
      for (const { $ref } of Object.values(reporting)) {
        const names = propertyNames(expand((resolve(d, $ref) as Loose).payload), new Set());
        expect(names.size).toBeGreaterThan(0);
        for (const key of [
          'personnummer',
          'name',
          'alias',
          'email',
          'phone',
          'description',
          'x-personal-data',
        ]) {
          expect([$ref, names.has(key)]).toEqual([$ref, false]);
        }
      }
    });
  });
});
