// Public entry of @samverkan/testing: infrastructure for int/e2e tests and "eventually" helpers.
export {};
