import { registerDecorator, ValidationOptions } from 'class-validator';
import { catalogEntry, InterventionKind } from '../../catalog';
import {
  isCalendarDate,
  isCanonicalPersonnummer,
  isMunicipalityCode,
  isRfc3339,
  isSchoolUnitCode,
} from './formats';

/**
 * Custom rules. Their names are the keys the schema generator maps to JSON Schema, and their
 * messages are fixed text: class-validator would otherwise let a `$value` token echo the input.
 */
function rule(
  name: string,
  message: string,
  test: (value: unknown, args: unknown[]) => boolean,
  constraints: unknown[] = [],
) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyKey) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyKey),
        constraints,
        options: { ...options, message: options?.each ? `each value ${message}` : message },
        validator: { validate: (value: unknown, args) => test(value, args?.constraints ?? []) },
      });
}

export const IsRfc3339 = rule('isRfc3339', 'must be an RFC 3339 date-time', isRfc3339);
export const IsCalendarDate = rule('isCalendarDate', 'must be a calendar date YYYY-MM-DD', isCalendarDate);
export const IsMunicipalityCode = rule(
  'isMunicipalityCode',
  'must be a four-digit SCB municipality code',
  isMunicipalityCode,
);
export const IsSchoolUnitCode = rule(
  'isSchoolUnitCode',
  'must be an eight-digit Skolverket school unit code',
  isSchoolUnitCode,
);
export const IsCanonicalPersonnummer = rule(
  'isCanonicalPersonnummer',
  'must be a valid personnummer or samordningsnummer, 12 digits without separator',
  isCanonicalPersonnummer,
);

/** A code from the intervention catalog, optionally restricted to some kinds (e.g. group programmes). */
export function IsCatalogCode(
  kinds?: readonly InterventionKind[],
  options?: ValidationOptions,
): PropertyDecorator {
  const restricted = kinds && kinds.length > 0;
  return rule(
    'isCatalogCode',
    restricted
      ? `must be an intervention catalog code of kind ${kinds.join(' or ')}`
      : 'must be an intervention catalog code',
    (value, [allowed]) => {
      const entry = typeof value === 'string' ? catalogEntry(value) : undefined;
      if (!entry) return false;
      return !allowed || (allowed as InterventionKind[]).includes(entry.kind);
    },
    [restricted ? [...kinds] : undefined],
  )(options);
}
