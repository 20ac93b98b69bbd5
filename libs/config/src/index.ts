// Public entry of @samverkan/config: validated environment per app.
export * from './env';
