import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CallerAgency, hasAnyRole } from '../claims/auth-user';
import { AuthError, AuthErrorCode } from '../verification/auth-error';
import { TokenVerifier } from '../verification/token-verifier';
import { AGENCIES_KEY, AuthenticatedRequest, IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

interface HttpRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

interface HttpResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Global guard: every HTTP route requires a valid bearer JWT unless marked @Public().
 * 401 (fixed message) for a missing or invalid token, 403 (fixed message) for a missing role or a
 * wrong agency. It runs before the handler, so neither answer depends on any record.
 *
 * Only HTTP is guarded. Event handlers (@EventPattern on the consumer kit's transport) pass: Kafka
 * traffic is authenticated by the service's SCRAM principal and ACLs, and carries no bearer token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw this.unauthorized(new AuthError(AuthErrorCode.TOKEN_MISSING, 'No bearer token'));
    }
    try {
      request.user = await this.verifier.verify(token);
    } catch (error) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw this.unauthorized(error);
    }

    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length > 0 && !hasAnyRole(request.user, roles)) {
      throw this.forbidden(AuthErrorCode.ROLE_MISSING);
    }
    const agencies = this.reflector.getAllAndOverride<CallerAgency[] | undefined>(AGENCIES_KEY, targets);
    if (agencies && agencies.length > 0 && !agencies.includes(request.user.agency)) {
      throw this.forbidden(AuthErrorCode.AGENCY_NOT_ALLOWED);
    }
    return true;
  }

  private unauthorized(error: unknown): UnauthorizedException {
    const code = error instanceof AuthError ? error.code : 'AUTH_UNKNOWN';
    if (code === AuthErrorCode.KEYS_UNAVAILABLE || !(error instanceof AuthError)) {
      this.logger.warn(`request rejected: ${code}`);
    } else {
      this.logger.debug(`request rejected: ${code}`);
    }
    return new UnauthorizedException('Authentication required');
  }

  private forbidden(code: AuthErrorCode): ForbiddenException {
    this.logger.debug(`request forbidden: ${code}`);
    return new ForbiddenException('Forbidden');
  }
}

export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([A-Za-z0-9\-_.]+)\s*$/i.exec(header);
  return match?.[1];
}
