import { Transform } from 'class-transformer';

/** `a:1, b:2` → `['a:1', 'b:2']`; an empty list stays empty so validation can name the variable. */
export function CommaSeparated(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : value,
  );
}

/** Decimal integer; anything else becomes NaN and fails IsInt with the variable's own message. */
export function ToInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  });
}

/** true/false/1/0/yes/no (any case); anything else is left as a string and fails IsBoolean. */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    return value;
  });
}
