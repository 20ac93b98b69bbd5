/** Injection token of the validated ReportingEnv. */
export const REPORTING_ENV = Symbol('REPORTING_ENV');
