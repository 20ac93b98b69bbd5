import {
  backwardCompatibilityIssues,
  type CompatibilityRule,
  describeIncompatibility,
} from './json-schema-compatibility';

type Json = Record<string, unknown>;
const closed = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
const rules = (before: Json, after: Json): Array<[string, CompatibilityRule]> =>
  backwardCompatibilityIssues(before, after).map((i) => [i.field, i.rule]);

// [name, published, next, expected issues] — [] means compatible.
const CASES: Array<[string, Json, Json, Array<[string, CompatibilityRule]>]> = [
  ['identical', closed({ a: { type: 'string' } }), closed({ a: { type: 'string' } }), []],
  ['type widened', closed({ a: { type: 'integer' } }), closed({ a: { type: 'number' } }), []],
  [
    'type narrowed',
    closed({ a: { type: 'number' } }),
    closed({ a: { type: 'integer' } }),
    [['a', 'type-narrowed']],
  ],
  [
    'type union narrowed',
    closed({ a: { type: ['string', 'null'] } }),
    closed({ a: { type: 'string' } }),
    [['a', 'type-narrowed']],
  ],
  [
    'optional property added to a closed object',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string' }, b: { type: 'string' } }, ['a']),
    [],
  ],
  [
    'required property added',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string' }, b: { type: 'string' } }),
    [['b', 'required-added']],
  ],
  [
    'required property added with a default',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string' }, b: { type: 'string', default: 'x' } }),
    [],
  ],
  [
    'optional property became required',
    closed({ a: { type: 'string' } }, []),
    closed({ a: { type: 'string' } }, ['a']),
    [['a', 'required-added']],
  ],
  [
    'required property became optional',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string' } }, []),
    [],
  ],
  ['enum value added', closed({ a: { enum: ['x'] } }), closed({ a: { enum: ['x', 'y'] } }), []],
  [
    'enum value removed',
    closed({ a: { enum: ['x', 'y'] } }),
    closed({ a: { enum: ['x'] } }),
    [['a', 'enum-narrowed']],
  ],
  [
    'enum introduced',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string', enum: ['x'] } }),
    [['a', 'enum-narrowed']],
  ],
  ['const changed', closed({ a: { const: 1 } }), closed({ a: { const: 2 } }), [['a', 'const-changed']]],
  [
    'maximum raised',
    closed({ a: { type: 'integer', maximum: 5 } }),
    closed({ a: { type: 'integer', maximum: 9 } }),
    [],
  ],
  [
    'maximum lowered',
    closed({ a: { type: 'integer', maximum: 9 } }),
    closed({ a: { type: 'integer', maximum: 5 } }),
    [['a', 'maximum-decreased']],
  ],
  [
    'minimum raised',
    closed({ a: { type: 'integer', minimum: 0 } }),
    closed({ a: { type: 'integer', minimum: 1 } }),
    [['a', 'minimum-increased']],
  ],
  [
    'minimum added',
    closed({ a: { type: 'integer' } }),
    closed({ a: { type: 'integer', minimum: 0 } }),
    [['a', 'minimum-increased']],
  ],
  ['minimum removed', closed({ a: { type: 'integer', minimum: 0 } }), closed({ a: { type: 'integer' } }), []],
  [
    'maxLength lowered',
    closed({ a: { type: 'string', maxLength: 10 } }),
    closed({ a: { type: 'string', maxLength: 5 } }),
    [['a', 'max-length-decreased']],
  ],
  [
    'minLength raised',
    closed({ a: { type: 'string', minLength: 1 } }),
    closed({ a: { type: 'string', minLength: 2 } }),
    [['a', 'min-length-increased']],
  ],
  [
    'maxItems lowered',
    closed({ a: { type: 'array', maxItems: 3 } }),
    closed({ a: { type: 'array', maxItems: 2 } }),
    [['a', 'max-items-decreased']],
  ],
  [
    'minItems raised',
    closed({ a: { type: 'array', minItems: 0 } }),
    closed({ a: { type: 'array', minItems: 1 } }),
    [['a', 'min-items-increased']],
  ],
  [
    'pattern added',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string', pattern: '^x' } }),
    [['a', 'pattern-changed']],
  ],
  [
    'pattern removed',
    closed({ a: { type: 'string', pattern: '^x' } }),
    closed({ a: { type: 'string' } }),
    [],
  ],
  [
    'format added',
    closed({ a: { type: 'string' } }),
    closed({ a: { type: 'string', format: 'uuid' } }),
    [['a', 'format-changed']],
  ],
  [
    'multipleOf added',
    closed({ a: { type: 'number' } }),
    closed({ a: { type: 'number', multipleOf: 2 } }),
    [['a', 'multiple-of-changed']],
  ],
  [
    'multipleOf loosened',
    closed({ a: { type: 'number', multipleOf: 4 } }),
    closed({ a: { type: 'number', multipleOf: 2 } }),
    [],
  ],
  [
    'uniqueItems added',
    closed({ a: { type: 'array' } }),
    closed({ a: { type: 'array', uniqueItems: true } }),
    [['a', 'unique-items-added']],
  ],
  [
    'additionalProperties closed',
    { type: 'object', properties: { a: { type: 'string' } } },
    closed({ a: { type: 'string' } }, []),
    [['', 'additional-properties-narrowed']],
  ],
  [
    'additionalProperties opened',
    closed({ a: { type: 'string' } }, []),
    { type: 'object', properties: { a: { type: 'string' } } },
    [],
  ],
  [
    'property removed from a closed object',
    closed({ a: { type: 'string' }, b: { type: 'string' } }, ['a']),
    closed({ a: { type: 'string' } }),
    [['b', 'property-removed-from-closed-object']],
  ],
  [
    'property removed from an open object',
    { type: 'object', properties: { a: {}, b: {} } },
    { type: 'object', properties: { a: {} } },
    [],
  ],
  [
    'property added to an open object',
    { type: 'object', properties: { a: {} } },
    { type: 'object', properties: { a: {}, b: { type: 'string' } } },
    [['b', 'property-added-to-open-object']],
  ],
  [
    'nested object field narrowed',
    closed({ o: closed({ n: { type: 'integer', maximum: 9 } }) }),
    closed({ o: closed({ n: { type: 'integer', maximum: 1 } }) }),
    [['o.n', 'maximum-decreased']],
  ],
  [
    'array items narrowed',
    closed({ a: { type: 'array', items: { type: 'string', maxLength: 9 } } }),
    closed({ a: { type: 'array', items: { type: 'string', maxLength: 3 } } }),
    [['a[]', 'max-length-decreased']],
  ],
  [
    'items through $defs',
    { ...closed({ a: { $ref: '#/$defs/A' } }), $defs: { A: closed({ x: { enum: [1, 2] } }) } },
    { ...closed({ a: { $ref: '#/$defs/A' } }), $defs: { A: closed({ x: { enum: [1] } }) } },
    [['a.x', 'enum-narrowed']],
  ],
  [
    'alternative dropped',
    closed({ a: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }),
    closed({ a: { oneOf: [{ type: 'string' }] } }),
    [['a', 'alternatives-narrowed']],
  ],
  [
    'alternative added',
    closed({ a: { oneOf: [{ type: 'string' }] } }),
    closed({ a: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }),
    [],
  ],
];

describe('BACKWARD compatibility of JSON Schemas (Schema Registry rules)', () => {
  it.each(CASES)('%s', (_name, before, after, expected) => {
    expect(rules(before, after)).toEqual(expected);
  });

  it('names the event, the field and the rule, and the way out', () => {
    const issues = backwardCompatibilityIssues(
      closed({ capacity: { type: 'integer', maximum: 500 } }),
      closed({ capacity: { type: 'integer', maximum: 50 } }),
    );
    const message = describeIncompatibility('samverkan.course.scheduled.v1', issues);
    expect(message).toContain(
      'samverkan.course.scheduled.v1: field "capacity" breaks rule maximum-decreased',
    );
    expect(message).toContain('samverkan.course.scheduled.v2');
    expect(message).toContain('keeps flowing');
  });
});
