/**
 * Errors with codes, mapped once at the edge (HTTP status in AppErrorFilter). Messages are written
 * for the caller and must never carry personal data: say which field and which rule, not the value.
 */
export enum AppErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INVALID_STATE = 'INVALID_STATE',
  /** A statistics query about fewer individuals than the minimum cell size (small-count protection). */
  COHORT_TOO_SMALL = 'COHORT_TOO_SMALL',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(fields: FieldError[]): AppError {
    return new AppError(AppErrorCode.VALIDATION_FAILED, 'The request is invalid; see fields.', fields);
  }

  static notFound(what: string): AppError {
    return new AppError(AppErrorCode.NOT_FOUND, `${what} not found`);
  }
}

export function httpStatusOf(code: AppErrorCode): number {
  switch (code) {
    case AppErrorCode.VALIDATION_FAILED:
      return 400;
    case AppErrorCode.UNAUTHENTICATED:
      return 401;
    case AppErrorCode.FORBIDDEN:
      return 403;
    case AppErrorCode.NOT_FOUND:
      return 404;
    case AppErrorCode.CONFLICT:
    case AppErrorCode.IDEMPOTENCY_KEY_REUSED:
    case AppErrorCode.INVALID_STATE:
      return 409;
    case AppErrorCode.COHORT_TOO_SMALL:
      return 422;
    case AppErrorCode.UNAVAILABLE:
      return 503;
    case AppErrorCode.INTERNAL:
      return 500;
  }
}
