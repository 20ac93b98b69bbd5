import { FieldIssue } from '../errors';
import { EventType, isEventType, personalDataFieldsOf } from '../events/event-map';
import { valueAt } from '../policy/paths';
import { SHARING_POLICY } from '../policy/sharing-policy';
import { validateEventData } from './event-data.validation';

const UNKNOWN_PROPERTY = 'is not allowed (unknown property)';

/**
 * Validates the data of an event as it arrives on a topic. An audience copy that the router
 * minimized or pseudonymized (recognised by its `ce_legalbasis`) lacks required fields of the full
 * class by design: the feedback to a reporter carries only reportId, outcome and decidedAt, and a
 * reporting copy has no personnummer. Such a copy is valid when every field it does carry is valid
 * and the only missing fields are the ones that transform removes. Unknown properties stay errors.
 */
export function validateDeliveredEventData(
  type: EventType,
  data: unknown,
  legalbasis?: string,
): FieldIssue[] {
  const issues = validateEventData(type, data);
  if (issues.length === 0 || legalbasis === undefined || !isEventType(type)) return issues;
  const mayOmit = omissionRuleFor(type, legalbasis);
  if (!mayOmit) return issues;
  return issues.filter(
    (issue) =>
      issue.message === UNKNOWN_PROPERTY ||
      valueAt(data, issue.field) !== undefined ||
      !mayOmit(arrayForm(issue.field)),
  );
}

/** Which absent fields the transform behind `legalbasis` explains, or undefined for full copies. */
function omissionRuleFor(type: EventType, legalbasis: string): ((field: string) => boolean) | undefined {
  const rules = Object.values(SHARING_POLICY[type]);
  const minimized = rules.flatMap((rule) =>
    rule.outcome === 'minimized' && rule.legalBasis === legalbasis ? [rule.minimizedFields] : [],
  );
  if (minimized.length > 0) {
    const kept = minimized.flat();
    // A field outside the allow-list may be absent; a kept one (or a parent of one) may not.
    return (field) => !kept.some((path) => covers(field, path) || covers(path, field));
  }
  const pseudonymized = rules.some(
    (rule) => rule.outcome === 'pseudonymized' && rule.legalBasis === legalbasis,
  );
  if (pseudonymized) {
    const removed = personalDataFieldsOf(type);
    return (field) => removed.some((path) => covers(path, field));
  }
  return undefined;
}

/** `path` is `field` or one of its ancestors. */
function covers(path: string, field: string): boolean {
  return field === path || field.startsWith(`${path}.`);
}

/** `participants.0.name` → `participants[].name`, the form personal-data paths are written in. */
function arrayForm(field: string): string {
  return field.replace(/\.(\d+)(?=\.|$)/g, '[]');
}
