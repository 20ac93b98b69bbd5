import { AppError } from '@samverkan/platform';

/** How far ahead of the server clock a caller's timestamp may be (clock skew between systems). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A recorded moment (assessed, decided, started, ...) must lie between `notBefore` and now; the
 * field error names the rule, never the value.
 */
export function checkRecordedAt(
  field: string,
  at: Date,
  now: Date,
  notBefore?: { at: Date; what: string },
): void {
  if (at.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw AppError.validation([{ field, message: `${field} must not be in the future` }]);
  }
  if (notBefore && at.getTime() < notBefore.at.getTime()) {
    throw AppError.validation([{ field, message: `${field} must not be before ${notBefore.what}` }]);
  }
}
