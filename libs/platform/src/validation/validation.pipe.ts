import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from '../errors/app-error';

/** Flattens class-validator errors into one message per field, with dotted paths (`child.personnummer`). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      // One message per field: the first failing rule is the one to fix first.
      const messages = Object.values(error.constraints);
      out.push({ field, message: messages[0] });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/** Strict by default: unknown properties are an error, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation(toFieldErrors(errors)),
  });
}
