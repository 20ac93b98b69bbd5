import { NewConsumerError, NewConsumerErrorCode, nameForms } from './consumer-name';

/**
 * Text edits of the contract declarations. Each inserts one line directly above a marker comment
 * the declaration files carry for the generator, and does nothing when that line is already there,
 * so running it twice (or after a half-finished run) changes nothing.
 */

export const CONSUMERS_FILE = 'libs/contracts/src/topology/consumers.ts';
export const POLICY_REGISTRY_FILE = 'libs/contracts/src/policy/audiences/index.ts';
export const policyFileOf = (name: string): string => `libs/contracts/src/policy/audiences/${name}.policy.ts`;

export const MARKERS = {
  audiences: '// new-consumer: audiences above this line',
  imports: '// new-consumer: imports above this line',
  policies: '// new-consumer: policies above this line',
} as const;

export function insertAboveMarker(source: string, marker: string, line: string, file: string): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.trim() === marker);
  if (at < 0) {
    throw new NewConsumerError(
      NewConsumerErrorCode.MARKER_MISSING,
      `${file} has no line "${marker}"; restore it (the generator inserts above it)`,
    );
  }
  if (lines.some((l) => l.trim() === line.trim())) return source;
  const indent = /^\s*/.exec(lines[at])?.[0] ?? '';
  lines.splice(at, 0, `${indent}${line.trim()}`);
  return lines.join('\n');
}

export function addToConsumers(source: string, name: string): string {
  return insertAboveMarker(source, MARKERS.audiences, `'${name}',`, CONSUMERS_FILE);
}

export function addToPolicyRegistry(source: string, name: string): string {
  const { constant } = nameForms(name);
  const withImport = insertAboveMarker(
    source,
    MARKERS.imports,
    `import { ${constant}_POLICY } from './${name}.policy';`,
    POLICY_REGISTRY_FILE,
  );
  return insertAboveMarker(
    withImport,
    MARKERS.policies,
    `'${name}': ${constant}_POLICY,`,
    POLICY_REGISTRY_FILE,
  );
}

/** The audience's column: every event type withheld ('no-rule') until a reviewed rule replaces it. */
export function policyFile(name: string, eventTypes: readonly string[]): string {
  const { constant } = nameForms(name);
  return `import type { PolicyRule } from '../sharing-policy';
import type { AudiencePolicy } from './audience-policy';

/**
 * The sharing-policy column of the \`${name}\` audience. Generated with every event withheld: the
 * audience receives nothing until a rule here is changed, with a legal basis, and approved in review
 * by the data protection officer (dataskyddsombud) and the data owner (docs/adding-a-consumer.md).
 */
const noRuleYet: PolicyRule = { outcome: 'withheld', reason: 'no-rule', note: 'no reviewed rule yet' };

export const ${constant}_POLICY: AudiencePolicy = {
${eventTypes.map((t) => `  '${t}': noRuleYet,`).join('\n')}
};
`;
}
