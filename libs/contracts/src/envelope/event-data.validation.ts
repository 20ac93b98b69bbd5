import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { FieldIssue } from '../errors';
import { EVENT_CLASSES, EventType, isEventType } from '../events';
import { cacheValidationMetadata } from './validation-metadata-cache';

// Every service validates events (and its request bodies) through class-validator's global storage:
// keep its per-class rule look-ups (see validation-metadata-cache.ts).
cacheValidationMetadata();

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * Validates `data` against the class of `type`: nested objects, whitelist with unknown properties
 * forbidden. Returns the issues (empty when valid). Messages come from fixed rule texts and are
 * scrubbed again below, so no issue ever carries the offending value.
 */
export function validateEventData<T extends EventType>(type: T, data: unknown): FieldIssue[] {
  if (!isEventType(type)) return [{ field: 'type', message: 'is not a known event type' }];
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [{ field: '', message: 'must be a JSON object' }];
  }
  const instance = plainToInstance(EVENT_CLASSES[type] as new () => object, data);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  const issues: FieldIssue[] = [];
  for (const error of errors) collect(error, '', data, issues);
  return issues;
}

function collect(error: ValidationError, parentPath: string, parentValue: unknown, out: FieldIssue[]): void {
  const value = valueAt(parentValue, error.property);
  const constraints = error.constraints ?? {};
  const unexpected = 'whitelistValidation' in constraints;
  // An unexpected key is itself caller data; name it only when it looks like an identifier.
  const segment = unexpected && !SAFE_KEY.test(error.property) ? '<unexpected property>' : error.property;
  const path = parentPath ? `${parentPath}.${segment}` : segment;
  for (const [rule, raw] of Object.entries(constraints)) {
    const message =
      rule === 'whitelistValidation'
        ? 'is not allowed (unknown property)'
        : clean(raw, error.property, rule, value);
    out.push({ field: path, message });
  }
  for (const child of error.children ?? []) collect(child, path, value, out);
}

function valueAt(parent: unknown, key: string): unknown {
  return parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
}

/** Drop the leading property name class-validator adds, and never let the value through. */
function clean(message: string, property: string, rule: string, value: unknown): string {
  let text = message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
  if (text.startsWith('each value in ')) text = text.replace(`each value in ${property} `, 'each value ');
  if (leaks(text, value)) return `violates rule ${rule}`;
  return text;
}

function leaks(text: string, value: unknown): boolean {
  if (typeof value === 'string') return value.length >= 3 && text.includes(value);
  if (typeof value === 'number' || typeof value === 'bigint')
    return String(value).length >= 3 && text.includes(String(value));
  if (Array.isArray(value)) return value.some((v) => leaks(text, v));
  return false;
}
