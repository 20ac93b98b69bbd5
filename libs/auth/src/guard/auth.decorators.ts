import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { CallerAgency, AuthUser } from '../claims/auth-user';

export const IS_PUBLIC_KEY = 'samverkan:auth:public';
export const ROLES_KEY = 'samverkan:auth:roles';
export const AGENCIES_KEY = 'samverkan:auth:agencies';

/** No token needed: health, readiness and metrics only. Everything else requires a bearer JWT. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The caller needs at least one of these roles (on the handler, else on the controller). Checked
 * before the handler runs, so a 403 never depends on whether the requested record exists.
 */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** The caller's `agency` claim must be one of these (on the handler, else on the controller). */
export const Agencies = (...agencies: CallerAgency[]): MethodDecorator & ClassDecorator =>
  SetMetadata(AGENCIES_KEY, agencies);

export interface AuthenticatedRequest {
  user?: AuthUser;
}

/** The verified caller. On a @Public() route it is undefined. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
