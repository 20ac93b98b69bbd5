/**
 * Published versions are frozen. The first time an event type's schema is generated, a normalized
 * copy goes to schemas/published/; after that the generator never rewrites it, and a unit test
 * fails when the current schema differs from it. Consumers reject unknown properties and producers'
 * old events are replayed under new code, so nearly any change to the validation rules breaks one
 * side: the fix is a new major version (`.v2`), not an edit of `.v1`.
 *
 * Ignored: documentation (title, description, examples) and the list of catalog codes, which
 * grows with the catalog's own versioning.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG_CODES } from '@samverkan/contracts';

type Json = Record<string, unknown>;

const DOC_KEYS = new Set(['title', 'description', 'examples', '$comment']);
const catalog = new Set<string>(CATALOG_CODES);

export function normalizeForCompatibility(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeForCompatibility);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (DOC_KEYS.has(k)) continue;
    if (k === 'enum' && Array.isArray(v) && v.length > 0 && v.every((c) => catalog.has(c as string))) {
      out[k] = '<intervention catalog codes>';
    } else if ((k === 'properties' || k === '$defs') && v !== null && typeof v === 'object') {
      // Keys here are property and definition names (a property may well be called `description`).
      out[k] = Object.fromEntries(
        Object.entries(v as Json).map(([name, sub]) => [name, normalizeForCompatibility(sub)]),
      );
    } else {
      out[k] = normalizeForCompatibility(v);
    }
  }
  return out;
}

export const publishedDir = (schemasDir: string): string => path.join(schemasDir, 'published');

/** Event schema file names (`<type>.json`) that have no frozen copy yet. */
export function unpublished(schemasDir: string, eventFiles: Iterable<string>): string[] {
  return [...eventFiles].filter((f) => !fs.existsSync(path.join(publishedDir(schemasDir), f)));
}

export function frozenCopy(schemaText: string): string {
  return `${JSON.stringify(normalizeForCompatibility(JSON.parse(schemaText)), null, 2)}\n`;
}
