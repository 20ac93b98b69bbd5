import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigError, EnvIssue } from './config-error';

/**
 * Reads `env` into an instance of `EnvClass` (defaults from its property initializers, transforms
 * from its decorators) and validates it. Throws ConfigError listing every bad variable on its own
 * line; messages state rules only, never values. Empty strings count as unset, so `PORT=` falls
 * back to the default instead of failing as "not a number". A variable without a class-validator
 * decorator is dropped (whitelist): give every variable at least one rule.
 */
export function validateEnv<T extends object>(
  EnvClass: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') present[k] = v;
  const instance = plainToInstance(EnvClass, present);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new ConfigError(errors.map(toIssue));
  return instance;
}

function toIssue(error: ValidationError): EnvIssue {
  const property = error.property;
  const messages = Object.values(error.constraints ?? {}).map((m) =>
    m.startsWith(`${property} `) ? m.slice(property.length + 1) : m,
  );
  // One line per variable: the first rule is the one that explains the rest.
  return { variable: property, message: messages[0] ?? 'is invalid' };
}
