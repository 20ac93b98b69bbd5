import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { parsePersonnummer, personnummerErrorMessage } from './personnummer';

/**
 * Validates a Swedish personnummer or samordningsnummer (10 or 12 digits, real date, Luhn check).
 * The message names the broken rule and never echoes the value (class-validator would otherwise
 * allow `$value` in messages; a custom `message` passed here must not use it either). Pair it with
 * a ValidationPipe that sets `validationError: { value: false, target: false }`, as
 * @samverkan/platform's does, so the value does not travel inside the error object either.
 */
export function IsPersonnummer(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPersonnummer',
      target: target.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: {
        validate(value: unknown): boolean {
          return parsePersonnummer(value).ok;
        },
        defaultMessage(args: ValidationArguments): string {
          const result = parsePersonnummer(args.value);
          const rule = result.ok ? 'is invalid' : personnummerErrorMessage(result.code);
          return `${args.property} ${rule}`;
        },
      },
    });
  };
}

/**
 * For HTTP DTOs (class-transformer, runs before validation in a transforming ValidationPipe):
 * turns any accepted spelling (`YYMMDD-NNNN`, `YYYYMMDDNNNN`, ...) into the 12-digit form events
 * carry. An invalid value is left untouched so @IsPersonnummer() reports it.
 */
export function ToNormalizedPersonnummer(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    const result = parsePersonnummer(value);
    return result.ok ? result.value.normalized : value;
  });
}
