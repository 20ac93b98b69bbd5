// Public entry of @samverkan/auth: bearer-JWT guard, roles, current user, local and test issuers.
export * from './claims/auth-user';
export * from './config/auth-config';
export * from './verification/auth-error';
export * from './verification/token-verifier';
export * from './guard/auth.decorators';
export * from './guard/auth.guard';
export * from './guard/auth.module';
export * from './keys/signing-key';
export * from './keys/local-keys';
export * from './testing/test-issuer';
