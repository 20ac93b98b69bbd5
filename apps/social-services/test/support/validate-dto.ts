import type { FieldError } from '@samverkan/platform';
import { AppError, createValidationPipe } from '@samverkan/platform';

/**
 * Runs a body (or query) through the app's validation pipe, exactly as an HTTP request would.
 * Returns the transformed DTO, or the field errors of the 400.
 */
export async function validateDto<T>(
  metatype: new () => T,
  value: unknown,
  type: 'body' | 'query' = 'body',
): Promise<{ ok: true; dto: T } | { ok: false; fields: FieldError[] }> {
  try {
    const dto = (await createValidationPipe().transform(value, { type, metatype })) as T;
    return { ok: true, dto };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, fields: error.fields };
    throw error;
  }
}

export async function fieldErrors<T>(metatype: new () => T, value: unknown, type: 'body' | 'query' = 'body') {
  const result = await validateDto(metatype, value, type);
  if (result.ok) throw new Error('expected validation to fail');
  return result.fields;
}

/** Synthetic personnummer (Luhn-valid, fictitious) for tests. */
export const CHILD_PNR = '201505152387';
export const CHILD_PNR_10 = '150515-2387';
