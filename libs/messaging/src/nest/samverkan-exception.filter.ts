import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every unknown error into "Internal server error" (and logs the whole
 * error, message included). The kit needs the original error to decide between retry and dead letter,
 * and logs only its class and code, so handlers on the Samverkan transport pass errors through as-is.
 * `@TypedEventPattern` applies it; add `@UseFilters(SamverkanExceptionFilter)` when using a plain
 * `@EventPattern`.
 */
@Catch()
export class SamverkanExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
