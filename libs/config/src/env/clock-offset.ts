import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';

const OFFSET = /^([+-])?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1_000];

/**
 * A signed duration such as `-16d`, `+2h`, `-1d12h30m` in milliseconds; NaN for anything else
 * (including an empty unit list), so validation can name the variable.
 */
export function parseClockOffset(text: string): number {
  const match = OFFSET.exec(text.trim());
  if (!match || match.slice(2).every((part) => part === undefined)) return Number.NaN;
  const magnitude = match
    .slice(2)
    .reduce((sum, part, i) => sum + (part === undefined ? 0 : Number(part) * UNIT_MS[i]), 0);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** `-16d` → -1382400000 (ms). */
export function ToClockOffsetMs(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? parseClockOffset(value) : value,
  );
}

/**
 * The variable may not be set when NODE_ENV=production: simulated time is for demos and local runs,
 * and a production service that misdates deadlines must refuse to start rather than run.
 */
export function NotInProduction(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notInProduction',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: 'must not be set when NODE_ENV=production (simulated time is for demos and local runs)',
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          return value === undefined || (args.object as { NODE_ENV?: string }).NODE_ENV !== 'production';
        },
      },
    });
}
