import { AppError, FieldError } from '../errors/app-error';
import { createValidationPipe } from './validation.pipe';

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; fields: FieldError[] };

/**
 * Runs a body or query through the same pipe HTTP requests go through: the transformed DTO, or
 * the field errors of the 400. For unit tests of request classes and for input that arrives
 * outside a controller.
 */
export async function validateRequest<T>(
  metatype: new () => T,
  value: unknown,
  type: 'body' | 'query' = 'body',
): Promise<ValidationOutcome<T>> {
  try {
    return { ok: true, value: (await createValidationPipe().transform(value, { type, metatype })) as T };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, fields: error.fields };
    throw error;
  }
}
