import { ContractErrorCode, ContractViolation } from '@samverkan/contracts';
import { QueryFailedError } from 'typeorm';
import {
  classifyError,
  MessagingErrorCode,
  PermanentError,
  safeErrorMessage,
  TransientError,
} from './messaging-error';

function queryFailed(code: string): QueryFailedError {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
    code,
  });
  return new QueryFailedError('INSERT ...', [], driverError);
}

describe('classifyError', () => {
  it('dead-letters a PermanentError with its code', () => {
    const result = classifyError(new PermanentError('unknown intervention code', 'UNKNOWN_CODE'));
    expect(result).toEqual({
      disposition: 'dead-letter',
      errorClass: 'PermanentError',
      code: 'UNKNOWN_CODE',
      message: 'unknown intervention code',
    });
  });

  it('retries a TransientError and unknown errors', () => {
    expect(classifyError(new TransientError('downstream busy')).disposition).toBe('retry');
    expect(classifyError(new TransientError('x')).code).toBe(MessagingErrorCode.Transient);
    expect(classifyError(new Error('connection reset')).disposition).toBe('retry');
    expect(classifyError(new TypeError('boom')).errorClass).toBe('TypeError');
    expect(classifyError('a string').disposition).toBe('retry');
  });

  it('dead-letters contract violations', () => {
    const violation = new ContractViolation(ContractErrorCode.DATA_INVALID, [
      { field: 'child', message: 'is required' },
    ]);
    const result = classifyError(violation);
    expect(result.disposition).toBe('dead-letter');
    expect(result.errorClass).toBe('ContractViolation');
    expect(result.code).toBe(ContractErrorCode.DATA_INVALID);
  });

  it('dead-letters Postgres integrity and data errors but retries serialization failures', () => {
    expect(classifyError(queryFailed('23505')).disposition).toBe('dead-letter');
    expect(classifyError(queryFailed('22P02')).disposition).toBe('dead-letter');
    expect(classifyError(queryFailed('40001')).disposition).toBe('retry');
    expect(classifyError(queryFailed('40P01')).disposition).toBe('retry');
    expect(classifyError(queryFailed('23505')).code).toBe('23505');
  });

  it('handles the sanitized objects Nest produces for unknown errors', () => {
    const result = classifyError({ status: 'error', message: 'Internal server error' });
    expect(result.disposition).toBe('retry');
    expect(result.message).toBe('Internal server error');
  });
});

describe('safeErrorMessage', () => {
  it('truncates to 200 characters and keeps one line', () => {
    const message = safeErrorMessage(new Error(`line one\nline two ${'x'.repeat(500)}`));
    expect(message.length).toBe(200);
    expect(message).not.toContain('\n');
    expect(message.startsWith('line one line two')).toBe(true);
  });
});
