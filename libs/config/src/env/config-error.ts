export enum ConfigErrorCode {
  INVALID_ENV = 'CONFIG_INVALID_ENV',
}

export interface EnvIssue {
  variable: string;
  /** The rule that failed; never the value (it may be a password or a connection string). */
  message: string;
}

/** Start-up stops with this: one readable line per bad or missing variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = ConfigErrorCode.INVALID_ENV;

  constructor(readonly issues: EnvIssue[]) {
    super(
      `Invalid environment (${issues.length} variable${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
  }
}
