/** The validated environment, for providers that need the municipality code. */
export const EDUCATION_ENV = Symbol('EDUCATION_ENV');
