/**
 * BACKWARD compatibility of JSON Schemas, after Confluent Schema Registry's rules for JSON Schema: a
 * reader on the NEW schema must accept every document the OLD (published) schema accepted, because
 * events written under the old schema stay on the topics and are replayed under new code.
 *
 * What breaks it, and is reported here: narrowing a type, a newly required property without a
 * default, a removed enum value, a changed const, a tightened limit (minimum, maximum, lengths,
 * item and property counts, multipleOf), an added or changed pattern or format, closing
 * additionalProperties, removing a property from a closed object (its values would be rejected),
 * adding a property to an open object (old documents may carry it with any value), uniqueItems,
 * and the same rules inside items, properties, $defs references and oneOf/anyOf alternatives.
 */

type Json = Record<string, unknown>;

export const COMPATIBILITY_RULES = [
  'type-narrowed',
  'required-added',
  'enum-narrowed',
  'const-changed',
  'minimum-increased',
  'maximum-decreased',
  'min-length-increased',
  'max-length-decreased',
  'min-items-increased',
  'max-items-decreased',
  'min-properties-increased',
  'max-properties-decreased',
  'multiple-of-changed',
  'pattern-changed',
  'format-changed',
  'unique-items-added',
  'additional-properties-narrowed',
  'property-removed-from-closed-object',
  'property-added-to-open-object',
  'alternatives-narrowed',
] as const;
export type CompatibilityRule = (typeof COMPATIBILITY_RULES)[number];

export interface CompatibilityIssue {
  /** Dotted path of the field in `data` (`sessions[].minutes`); '' for the event's data itself. */
  field: string;
  rule: CompatibilityRule;
  /** What changed, in schema terms (never data values). */
  detail: string;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const typesOf = (s: Json): Set<string> | undefined =>
  s.type === undefined
    ? undefined
    : new Set(Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]);
const fieldOf = (parent: string, name: string) => (parent ? `${parent}.${name}` : name);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function resolve(schema: Json, root: Json, seen: Set<string>): Json {
  let current = schema;
  while (typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    const ref = current.$ref;
    if (seen.has(ref)) break;
    seen.add(ref);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    if (!isObject(target)) break;
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

/** Lower bounds may not rise (or appear); upper bounds may not fall (or appear). */
const LIMITS: Array<{ key: string; kind: 'lower' | 'upper'; rule: CompatibilityRule }> = [
  { key: 'minimum', kind: 'lower', rule: 'minimum-increased' },
  { key: 'exclusiveMinimum', kind: 'lower', rule: 'minimum-increased' },
  { key: 'maximum', kind: 'upper', rule: 'maximum-decreased' },
  { key: 'exclusiveMaximum', kind: 'upper', rule: 'maximum-decreased' },
  { key: 'minLength', kind: 'lower', rule: 'min-length-increased' },
  { key: 'maxLength', kind: 'upper', rule: 'max-length-decreased' },
  { key: 'minItems', kind: 'lower', rule: 'min-items-increased' },
  { key: 'maxItems', kind: 'upper', rule: 'max-items-decreased' },
  { key: 'minProperties', kind: 'lower', rule: 'min-properties-increased' },
  { key: 'maxProperties', kind: 'upper', rule: 'max-properties-decreased' },
];

function compare(
  oldNode: Json,
  newNode: Json,
  field: string,
  roots: { old: Json; new: Json },
  issues: CompatibilityIssue[],
  seen: Set<string>,
): void {
  const pairKey = `${field}|${JSON.stringify(oldNode.$ref)}|${JSON.stringify(newNode.$ref)}`;
  if (seen.has(pairKey)) return;
  seen.add(pairKey);
  const o = resolve(oldNode, roots.old, new Set());
  const n = resolve(newNode, roots.new, new Set());
  const report = (rule: CompatibilityRule, detail: string) => issues.push({ field, rule, detail });

  const oldTypes = typesOf(o);
  const newTypes = typesOf(n);
  if (newTypes) {
    const lost = oldTypes
      ? [...oldTypes].filter((t) => !newTypes.has(t) && !(t === 'integer' && newTypes.has('number')))
      : ['any'];
    if (lost.length > 0) report('type-narrowed', `no longer accepts type ${lost.join(', ')}`);
  }

  if (n.enum !== undefined) {
    if (o.enum === undefined) report('enum-narrowed', 'an enum was added');
    else if (Array.isArray(o.enum) && Array.isArray(n.enum)) {
      const removed = o.enum.filter((v) => !(n.enum as unknown[]).some((w) => same(v, w)));
      if (removed.length > 0)
        report('enum-narrowed', `enum value(s) removed: ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
    } else if (!same(o.enum, n.enum)) report('enum-narrowed', 'the enum changed');
  }
  if (n.const !== undefined && !same(o.const, n.const)) report('const-changed', 'const added or changed');

  for (const { key, kind, rule } of LIMITS) {
    const before = o[key] as number | undefined;
    const after = n[key] as number | undefined;
    if (after === undefined) continue;
    if (before === undefined) report(rule, `${key} ${after} added`);
    else if (kind === 'lower' ? after > before : after < before) report(rule, `${key} ${before} → ${after}`);
  }
  if (
    n.multipleOf !== undefined &&
    !(o.multipleOf !== undefined && (o.multipleOf as number) % (n.multipleOf as number) === 0)
  ) {
    report(
      'multiple-of-changed',
      `multipleOf ${JSON.stringify(o.multipleOf ?? 'none')} → ${JSON.stringify(n.multipleOf)}`,
    );
  }
  if (n.pattern !== undefined && n.pattern !== o.pattern)
    report('pattern-changed', 'pattern added or changed');
  if (n.format !== undefined && n.format !== o.format)
    report('format-changed', `format ${JSON.stringify(o.format ?? 'none')} → ${JSON.stringify(n.format)}`);
  if (n.uniqueItems === true && o.uniqueItems !== true) report('unique-items-added', 'uniqueItems added');

  // Objects.
  const oldProps = isObject(o.properties) ? o.properties : {};
  const newProps = isObject(n.properties) ? n.properties : {};
  const oldOpen = o.additionalProperties !== false;
  const newOpen = n.additionalProperties !== false;
  if (oldOpen && !newOpen) report('additional-properties-narrowed', 'additionalProperties closed');
  else if (isObject(o.additionalProperties) || isObject(n.additionalProperties)) {
    if (isObject(n.additionalProperties)) {
      compare(
        isObject(o.additionalProperties) ? o.additionalProperties : {},
        n.additionalProperties,
        `${field}{*}`,
        roots,
        issues,
        seen,
      );
    }
  }
  const oldRequired = new Set((o.required as string[] | undefined) ?? []);
  for (const name of (n.required as string[] | undefined) ?? []) {
    const prop = newProps[name];
    const hasDefault = isObject(prop) && 'default' in prop;
    if (!oldRequired.has(name) && !hasDefault) {
      issues.push({
        field: fieldOf(field, name),
        rule: 'required-added',
        detail: 'became required (and has no default)',
      });
    }
  }
  for (const [name, oldProp] of Object.entries(oldProps)) {
    const newProp = newProps[name];
    if (newProp === undefined) {
      if (!newOpen) {
        issues.push({
          field: fieldOf(field, name),
          rule: 'property-removed-from-closed-object',
          detail: 'removed while additionalProperties is false',
        });
      } else if (isObject(n.additionalProperties) && isObject(oldProp)) {
        compare(oldProp, n.additionalProperties, fieldOf(field, name), roots, issues, seen);
      }
      continue;
    }
    if (isObject(oldProp) && isObject(newProp))
      compare(oldProp, newProp, fieldOf(field, name), roots, issues, seen);
  }
  if (oldOpen) {
    for (const name of Object.keys(newProps)) {
      if (!(name in oldProps)) {
        issues.push({
          field: fieldOf(field, name),
          rule: 'property-added-to-open-object',
          detail: 'added where old documents may carry any value under that name',
        });
      }
    }
  }

  // Arrays.
  if (isObject(n.items))
    compare(isObject(o.items) ? o.items : {}, n.items, `${field}[]`, roots, issues, seen);

  // Alternatives: each old alternative must still be readable by some new one.
  for (const key of ['oneOf', 'anyOf'] as const) {
    const newAlts = n[key];
    if (!Array.isArray(newAlts)) continue;
    const oldAlts = Array.isArray(o[key]) ? (o[key] as Json[]) : [o];
    for (const [i, oldAlt] of oldAlts.entries()) {
      const readable = (newAlts as Json[]).some((newAlt) => {
        const trial: CompatibilityIssue[] = [];
        compare(oldAlt, newAlt, field, roots, trial, new Set());
        return trial.length === 0;
      });
      if (!readable)
        report('alternatives-narrowed', `${key}: old alternative ${i + 1} is not accepted by any new one`);
    }
  }
}

/** Everything that stops a reader on `next` from reading data written under `published`. */
export function backwardCompatibilityIssues(published: unknown, next: unknown): CompatibilityIssue[] {
  if (!isObject(published) || !isObject(next)) throw new TypeError('schemas must be JSON objects');
  const issues: CompatibilityIssue[] = [];
  compare(published, next, '', { old: published, new: next }, issues, new Set());
  return issues;
}

/** The next major version's type: samverkan.x.y.v1 → samverkan.x.y.v2. */
export const nextMajor = (eventType: string): string =>
  eventType.replace(/\.v(\d+)$/, (_m, n: string) => `.v${Number(n) + 1}`);

/** One line per issue naming the event, the field and the rule, and the way out. */
export function describeIncompatibility(eventType: string, issues: readonly CompatibilityIssue[]): string {
  const lines = issues.map(
    (i) => `  - ${eventType}: field "${i.field || '(data)'}" breaks rule ${i.rule}: ${i.detail}`,
  );
  return (
    `${eventType} is no longer BACKWARD compatible with its published version:\n${lines.join('\n')}\n` +
    `A published version is never changed incompatibly. Publish the change as ${nextMajor(eventType)} next to it; ` +
    `${eventType} keeps flowing until its consumers have moved.`
  );
}
