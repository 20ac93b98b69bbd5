// Public entry of @samverkan/platform: what every app of the hub shares (errors, validation,
// bootstrap, the service kit with database, messaging and health).
export * from './errors/app-error';
export * from './errors/app-error.filter';
export * from './validation/validation.pipe';
export * from './bootstrap/bootstrap-http-service';
export * from './service/service-env';
export * from './service/service-kit.module';
export * from './service/bootstrap-service';
export * from './service/run-service';
export * from './health/health.controller';
export * from './validation/validate-request';
export * from './http/uuid-param';
export * from './clock/clock';
export * from './clock/clock.module';
export * from './database/redacting-typeorm-logger';
export * from './database/direct-sql';
export * from './database/entity-sql';
export * from './database/group-commit';
export * from './database/database-maintenance';
export * from './metrics/metrics.controller';
