/**
 * Why a message or payload breaks the contract. Consumers map these codes once at their edge (a
 * DLQ reason, an HTTP 400); the messages are safe to log because they name fields and rules only.
 */
export enum ContractErrorCode {
  ENVELOPE_INVALID = 'ENVELOPE_INVALID',
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
  DATA_INVALID = 'DATA_INVALID',
  NOT_JSON = 'NOT_JSON',
}

/**
 * One broken rule. `field` is a header name (`ce_time`) or a dotted data path (`child.personnummer`,
 * `sessions.2.minutes`). `message` states the rule and must never contain the offending value: the
 * value may be a personnummer or a name, and these messages end up in logs and dead-letter headers.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    readonly code: ContractErrorCode,
    readonly issues: FieldIssue[],
    /** What was being checked, e.g. the (known) event type; never caller-supplied free data. */
    context?: string,
  ) {
    super(ContractViolation.describe(code, issues, context));
  }

  private static describe(code: ContractErrorCode, issues: FieldIssue[], context?: string): string {
    const head = `${code}${context ? ` (${context})` : ''}`;
    if (issues.length === 0) return head;
    return `${head}: ${issues.map((i) => `${i.field || '(root)'}: ${i.message}`).join('; ')}`;
  }
}
