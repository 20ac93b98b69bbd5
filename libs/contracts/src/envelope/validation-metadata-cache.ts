import { getMetadataStorage } from 'class-validator';

/**
 * class-validator 0.14 finds a class's rules anew on every validate call: it filters the class's
 * metadata and then walks every class it knows, with an `instanceof` test each, for inherited rules;
 * then groups the result by property. We validate every event we produce and consume and every
 * request body, with a few hundred decorated classes loaded, and in bench:pipeline's profiles that
 * look-up was 2–2.5 % of each service's busy time (getTargetValidationMetadatas). The rules of a class
 * change only when a decorator runs (at class definition), so the answers are kept per class and
 * options until the storage is told of a new rule.
 *
 * Works on class-validator's global storage through its public `getMetadataStorage()`. Idempotent.
 */

type Metadata = { propertyName: string };
type Target = object | string;

interface Storage {
  getTargetValidationMetadatas(
    target: Target,
    schema: string | undefined,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): Metadata[];
  groupByPropertyName(metadata: Metadata[]): Record<string, Metadata[]>;
  addValidationMetadata(metadata: unknown): void;
  addConstraintMetadata(metadata: unknown): void;
  addValidationSchema(schema: unknown): void;
}

const CACHED = Symbol.for('samverkan.validationMetadataCache');

export function cacheValidationMetadata(storage: object = getMetadataStorage()): void {
  const s = storage as Storage & { [CACHED]?: true };
  if (s[CACHED]) return;
  s[CACHED] = true;

  const lookUp = s.getTargetValidationMetadatas.bind(s);
  const group = s.groupByPropertyName.bind(s);
  let byTarget = new Map<Target, Map<string, Metadata[]>>();
  let grouped = new WeakMap<Metadata[], Record<string, Metadata[]>>();

  for (const name of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add: (arg: unknown) => void = s[name].bind(s);
    s[name] = (arg: unknown) => {
      add(arg);
      byTarget = new Map();
      grouped = new WeakMap();
    };
  }

  s.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}\u0000${always}\u0000${strictGroups}\u0000${groups ? groups.join('\u0001') : '-'}`;
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };

  // Callers only read the grouping (ValidationExecutor filters it into new arrays).
  s.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
}
