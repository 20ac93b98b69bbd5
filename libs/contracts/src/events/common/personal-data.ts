import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';

/**
 * Kinds of personal data a field can hold. The sharing policy strips or pseudonymizes by kind, and
 * the reporting leak test asserts none of them reaches `audience.reporting`.
 * - identity: personnummer / samordningsnummer (the router pseudonymizes subjects from these)
 * - name: a person's name or alias
 * - contact: e-mail, phone, address
 * - free-text: anything a person typed; may contain all of the above
 */
export type PersonalDataKind = 'identity' | 'name' | 'contact' | 'free-text';
export const PERSONAL_DATA_KINDS: readonly PersonalDataKind[] = ['identity', 'name', 'contact', 'free-text'];

export interface PersonalDataField {
  /** Dotted path from the event data; array elements are written `[]`, e.g. `participants[].name`. */
  path: string;
  kind: PersonalDataKind;
}

type Ctor = abstract new (...args: never[]) => unknown;

interface NestedSpec {
  type: () => Ctor;
  each: boolean;
}

// Kept in our own registry (not class-transformer's private storage) so the policy can walk it.
const personalFields = new Map<Ctor, Map<string, PersonalDataKind>>();
const nestedFields = new Map<Ctor, Map<string, NestedSpec>>();

function ownerOf(target: object): Ctor {
  return (target as { constructor: Ctor }).constructor;
}

function lookup<V>(registry: Map<Ctor, Map<string, V>>, cls: Ctor): Map<string, V> {
  // Walk the prototype chain so subclasses inherit their base class's annotations.
  const merged = new Map<string, V>();
  const chain: Ctor[] = [];
  for (
    let c: unknown = cls;
    typeof c === 'function' && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    chain.unshift(c as Ctor);
  }
  for (const c of chain) for (const [k, v] of registry.get(c) ?? []) merged.set(k, v);
  return merged;
}

/** Marks a field as personal data of the given kind. */
export function PersonalData(kind: PersonalDataKind): PropertyDecorator {
  return (target, propertyKey) => {
    const owner = ownerOf(target);
    const map = personalFields.get(owner) ?? new Map<string, PersonalDataKind>();
    map.set(String(propertyKey), kind);
    personalFields.set(owner, map);
  };
}

/**
 * A nested object (or array of objects with `{ each: true }`): validates it, tells class-transformer
 * its class, and records it so `personalDataFieldsOfClass` can descend into it.
 */
export function Nested(type: () => Ctor, options: { each?: boolean } = {}): PropertyDecorator {
  const each = options.each ?? false;
  const decorators: PropertyDecorator[] = [
    ValidateNested({ each }),
    Type(type),
    each ? IsArray() : IsObject(),
  ];
  return (target, propertyKey) => {
    for (const d of decorators) d(target, propertyKey);
    const owner = ownerOf(target);
    const map = nestedFields.get(owner) ?? new Map<string, NestedSpec>();
    map.set(String(propertyKey), { type, each });
    nestedFields.set(owner, map);
  };
}

/** Every personal-data field of a class, nested classes included, as dotted paths. */
export function personalDataFieldsOfClass(
  cls: Ctor,
  prefix = '',
  seen: Set<Ctor> = new Set(),
): PersonalDataField[] {
  if (seen.has(cls)) return [];
  const out: PersonalDataField[] = [];
  for (const [prop, kind] of lookup(personalFields, cls)) out.push({ path: prefix + prop, kind });
  const nextSeen = new Set(seen).add(cls);
  for (const [prop, spec] of lookup(nestedFields, cls)) {
    const nestedPrefix = `${prefix}${prop}${spec.each ? '[]' : ''}.`;
    // A personal-data mark on a nested property means the whole object is of that kind.
    if (lookup(personalFields, cls).has(prop)) continue;
    out.push(...personalDataFieldsOfClass(spec.type(), nestedPrefix, nextSeen));
  }
  return out;
}

/** The nested classes of a class (for schema generation and documentation). */
export function nestedFieldsOfClass(cls: Ctor): ReadonlyMap<string, NestedSpec> {
  return lookup(nestedFields, cls);
}
