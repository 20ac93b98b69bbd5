import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEvent, encodeCloudEvent, EVENT_EXAMPLES, EVENT_TYPES, EventType } from '@samverkan/contracts';
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
    const onDisk = fs.readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json'));
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
    expect(onDisk).toHaveLength(EVENT_TYPES.length + 1);
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
});
