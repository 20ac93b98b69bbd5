/**
 * Dotted paths into event data (`child.personnummer`, `reporter.contact.email`), as the personal-data
 * marks write them. `[]` after a segment means "in every element of this array".
 */

export function valueAt(data: unknown, path: string): unknown {
  let node: unknown = data;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object' || segment.endsWith('[]')) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Removes a path in place (in every array element for `[]` segments). */
export function removeAt(node: unknown, path: string): void {
  removeSegments(node, path.split('.'));
}

function removeSegments(node: unknown, segments: string[]): void {
  if (node === null || typeof node !== 'object' || segments.length === 0) return;
  const [head, ...rest] = segments;
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  if (rest.length === 0) {
    delete record[key];
    return;
  }
  const child = record[key];
  if (each && Array.isArray(child)) for (const item of child) removeSegments(item, rest);
  else if (!each) removeSegments(child, rest);
}

/** A new object holding only the given paths (plain dotted paths; absent ones are skipped). */
export function pick(data: unknown, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const value = valueAt(data, path);
    if (value === undefined) continue;
    const segments = path.split('.');
    let target = out;
    for (const segment of segments.slice(0, -1)) {
      target[segment] = target[segment] ?? {};
      target = target[segment] as Record<string, unknown>;
    }
    target[segments[segments.length - 1]] = structuredClone(value);
  }
  return out;
}
