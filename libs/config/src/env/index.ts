export * from './config-error';
export * from './env-transforms';
export * from './validate-env';
export * from './base-service.env';
export * from './clock-offset';
