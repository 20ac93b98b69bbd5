/** Error codes of the messaging kit. They are stable: the DLQ headers and operations use them. */
export enum MessagingErrorCode {
  /** The envelope or the data failed validation; retrying cannot help. */
  InvalidMessage = 'MESSAGING_INVALID_MESSAGE',
  /** No handler is registered for the event type. */
  NoHandler = 'MESSAGING_NO_HANDLER',
  /** A handler declared the failure permanent. */
  Permanent = 'MESSAGING_PERMANENT',
  /** A handler failed in a way that may succeed on retry (the default for unknown errors). */
  Transient = 'MESSAGING_TRANSIENT',
  /** Every retry attempt failed. */
  RetriesExhausted = 'MESSAGING_RETRIES_EXHAUSTED',
  /** A transform in the consume-transform-produce processor failed. */
  TransformFailed = 'MESSAGING_TRANSFORM_FAILED',
}

/**
 * Base of the kit's errors. Messages must never contain personal data or payload content: they are
 * written to logs and to DLQ headers.
 */
export class MessagingError extends Error {
  constructor(
    readonly code: MessagingErrorCode | string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Throw from a handler when retrying is pointless: the message goes to the DLQ at once. */
export class PermanentError extends MessagingError {
  constructor(message: string, code: string = MessagingErrorCode.Permanent) {
    super(code, message, true);
  }
}

/** Throw from a handler to say explicitly that a retry may help (unknown errors are treated the same). */
export class TransientError extends MessagingError {
  constructor(message: string, code: string = MessagingErrorCode.Transient) {
    super(code, message, false);
  }
}

export type ErrorDisposition = 'retry' | 'dead-letter';

export interface ClassifiedError {
  disposition: ErrorDisposition;
  /** Class name, e.g. `PermanentError`, `ContractViolation`, `QueryFailedError`. */
  errorClass: string;
  /** A code when the error has one (enum value, Postgres SQLSTATE, ...). */
  code?: string;
  /** Safe, truncated text for logs and DLQ headers. */
  message: string;
}

const MAX_MESSAGE_LENGTH = 200;

/** Postgres SQLSTATE classes that retrying will not fix (data exceptions, integrity violations). */
const PERMANENT_SQLSTATE_CLASSES = ['22', '23', '42'];

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** Postgres puts column values into `detail`, never into `message` for the classes we rely on. */
export function safeErrorMessage(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message;
  else if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    text = (error as { message: string }).message;
  } else text = 'non-error value thrown';
  // Strip control characters so the header stays one line.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function errorClassOf(error: unknown): string {
  if (error instanceof Error)
    return error.constructor?.name && error.constructor.name !== 'Object'
      ? error.constructor.name
      : error.name;
  if (typeof error === 'object' && error !== null) {
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return typeof error;
}

/**
 * Decides what happens to a failed message. Explicit kit errors win; contract violations (from
 * decodeCloudEvent) and Postgres data/integrity errors are permanent; everything else is retried,
 * because a wrongly retried error costs a delay while a wrongly dead-lettered one costs an operator.
 */
export function classifyError(error: unknown): ClassifiedError {
  const errorClass = errorClassOf(error);
  const code = errorCode(error);
  const message = safeErrorMessage(error);
  let permanent: boolean;
  if (error instanceof MessagingError) {
    permanent = error.permanent;
  } else if (errorClass === 'ContractViolation') {
    permanent = true;
  } else if (
    errorClass === 'QueryFailedError' &&
    code !== undefined &&
    PERMANENT_SQLSTATE_CLASSES.some((prefix) => code.startsWith(prefix))
  ) {
    permanent = true;
  } else {
    permanent = false;
  }
  return { disposition: permanent ? 'dead-letter' : 'retry', errorClass, code, message };
}
