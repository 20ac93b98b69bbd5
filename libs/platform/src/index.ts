// Public entry of @samverkan/platform: what every HTTP app shares (errors, validation, bootstrap).
export * from './errors/app-error';
export * from './errors/app-error.filter';
export * from './validation/validation.pipe';
export * from './bootstrap/bootstrap-http-service';
