import { isEventType, personalDataFieldsOf } from '@samverkan/contracts';

export const MASK = '[masked]';

export interface MaskedPayload {
  payload: unknown;
  /** True when anything was hidden (or the whole payload, when it could not be read). */
  masked: boolean;
  parseable: boolean;
}

function maskPath(node: unknown, segments: string[]): boolean {
  if (node === null || typeof node !== 'object' || segments.length === 0) return false;
  const [head, ...rest] = segments;
  const isArray = head.endsWith('[]');
  const key = isArray ? head.slice(0, -2) : head;
  const record = node as Record<string, unknown>;
  if (!(key in record)) return false;
  if (rest.length === 0) {
    if (isArray && Array.isArray(record[key])) record[key] = (record[key] as unknown[]).map(() => MASK);
    else record[key] = MASK;
    return true;
  }
  const child = record[key];
  if (isArray) {
    if (!Array.isArray(child)) return false;
    let any = false;
    for (const item of child) any = maskPath(item, rest) || any;
    return any;
  }
  return maskPath(child, rest);
}

/**
 * A dead letter's payload as an operator without the privileged role may see it: every field the
 * event class marks as personal data (by `ce_type`) replaced by "[masked]", structure kept so the
 * failure can still be understood. A payload that is not JSON, or of a type the contracts do not know,
 * cannot be masked field by field, so all of it is hidden.
 */
export function maskedPayload(type: string | undefined, value: Buffer | null): MaskedPayload {
  if (value === null) return { payload: null, masked: false, parseable: true };
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    return { payload: null, masked: true, parseable: false };
  }
  if (!isEventType(type)) return { payload: null, masked: true, parseable: true };
  let masked = false;
  for (const path of personalDataFieldsOf(type)) masked = maskPath(data, path.split('.')) || masked;
  return { payload: data, masked, parseable: true };
}

/** The payload in full, for privileged operators: JSON when it parses, else the raw text. */
export function fullPayload(value: Buffer | null): MaskedPayload {
  if (value === null) return { payload: null, masked: false, parseable: true };
  const text = value.toString('utf8');
  try {
    return { payload: JSON.parse(text) as unknown, masked: false, parseable: true };
  } catch {
    return { payload: text, masked: false, parseable: false };
  }
}
