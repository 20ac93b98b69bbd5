import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthConfig, authConfigFromEnv } from '../config/auth-config';
import { TokenVerifier } from '../verification/token-verifier';
import { AuthGuard } from './auth.guard';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export interface AuthModuleOptions {
  /** Defaults to authConfigFromEnv() (AUTH_JWKS_FILE | AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE). */
  config?: AuthConfig;
}

/**
 * `AuthModule.forRoot()` in an app's root module installs AuthGuard globally: every HTTP route
 * needs a bearer JWT unless it is @Public(). Misconfiguration fails at startup, not on the first
 * request.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useFactory: () => options.config ?? authConfigFromEnv() },
        {
          provide: TokenVerifier,
          useFactory: (config: AuthConfig) => new TokenVerifier(config),
          inject: [AUTH_CONFIG],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_CONFIG, TokenVerifier],
    };
  }
}
