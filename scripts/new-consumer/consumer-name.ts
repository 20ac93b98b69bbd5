/**
 * A consumer's name is its service, audience, consumer group, Kafka principal and app folder at once,
 * so it must be safe in all of them: lowercase kebab case, starting with a letter.
 */
export const CONSUMER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Postgres names are `samverkan_<name>` and must stay under 63 bytes; topic names under 249. */
export const MAX_NAME_LENGTH = 40;
/** Words the topology already uses as topic segments or that would read as something else. */
const RESERVED = new Set(['source', 'audience', 'dlq', 'router', 'all', 'admin', 'samverkan', 'hub']);

export enum NewConsumerErrorCode {
  INVALID_NAME = 'NEW_CONSUMER_INVALID_NAME',
  NAME_TAKEN = 'NEW_CONSUMER_NAME_TAKEN',
  MARKER_MISSING = 'NEW_CONSUMER_MARKER_MISSING',
  SCHEMAS_FAILED = 'NEW_CONSUMER_SCHEMAS_FAILED',
}

export class NewConsumerError extends Error {
  override readonly name = 'NewConsumerError';
  constructor(
    readonly code: NewConsumerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function validateConsumerName(name: string): void {
  if (!CONSUMER_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new NewConsumerError(
      NewConsumerErrorCode.INVALID_NAME,
      `"${name}" is not a valid consumer name: use lowercase kebab case (a-z, 0-9, single dashes), ` +
        `starting with a letter, at most ${MAX_NAME_LENGTH} characters, e.g. youth-clinic`,
    );
  }
  if (RESERVED.has(name)) {
    throw new NewConsumerError(NewConsumerErrorCode.INVALID_NAME, `"${name}" is reserved by the topology`);
  }
}

export interface NameForms {
  /** youth-clinic */
  kebab: string;
  /** YouthClinic */
  pascal: string;
  /** YOUTH_CLINIC */
  constant: string;
  /** youth_clinic */
  snake: string;
}

export function nameForms(kebab: string): NameForms {
  const parts = kebab.split('-');
  return {
    kebab,
    pascal: parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(''),
    constant: parts.map((p) => p.toUpperCase()).join('_'),
    snake: parts.join('_'),
  };
}
