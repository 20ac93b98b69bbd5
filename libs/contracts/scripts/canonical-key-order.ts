type Json = Record<string, unknown>;

const LEADING_KEYS = ['$schema', '$id', '$ref', 'type'];

/**
 * class-validator-jsonschema emits `$ref` and `type` of a nested property in an order that depends
 * on how the classes were compiled (ts-node, ts-jest with or without a warm cache), so the files are
 * written with these keys first and every other key in the order it was produced.
 */
export function canonicalKeyOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => canonicalKeyOrder(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Json;
  const keys = [
    ...LEADING_KEYS.filter((k) => k in obj),
    ...Object.keys(obj).filter((k) => !LEADING_KEYS.includes(k)),
  ];
  return Object.fromEntries(keys.map((k) => [k, canonicalKeyOrder(obj[k])])) as T;
}
