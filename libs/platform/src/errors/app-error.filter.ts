import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, AppErrorCode, FieldError, httpStatusOf } from './app-error';

export interface ErrorBody {
  error: string;
  message: string;
  fields?: FieldError[];
}

/**
 * The one place where errors become HTTP responses. Unknown errors are logged by class and
 * code only (their message may quote data) and answered with a generic 500.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (status >= 500) {
      const name = exception instanceof Error ? exception.name : typeof exception;
      this.logger.error(`Unhandled ${name} answered with ${status}`);
    }
    res.status(status).json(body);
  }

  toResponse(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof AppError) {
      const body: ErrorBody = { error: exception.code, message: exception.message };
      if (exception.fields.length) body.fields = exception.fields;
      return { status: httpStatusOf(exception.code), body };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = httpCodeName(status);
      return { status, body: { error: code, message: statusMessage(status, exception) } };
    }
    return { status: 500, body: { error: AppErrorCode.INTERNAL, message: 'Internal error' } };
  }
}

function httpCodeName(status: number): string {
  if (status === 401) return AppErrorCode.UNAUTHENTICATED;
  if (status === 403) return AppErrorCode.FORBIDDEN;
  if (status === 404) return AppErrorCode.NOT_FOUND;
  if (status === 400) return AppErrorCode.VALIDATION_FAILED;
  return status >= 500 ? AppErrorCode.INTERNAL : `HTTP_${status}`;
}

function statusMessage(status: number, exception: HttpException): string {
  // Nest's own exceptions (route not found, payload too large, ...) carry safe fixed messages.
  if (status === 401) return 'Authentication required';
  if (status === 403) return 'Forbidden';
  return exception.message;
}
