import { describeBootError } from './run-service';

class ConfigError extends Error {
  override name = 'ConfigError';
}
class RouterKeyError extends Error {
  override name = 'RouterKeyError';
}

describe('describeBootError', () => {
  it('prints the message of errors written for boot (they name variables, never values)', () => {
    expect(describeBootError(new ConfigError('DATABASE_URL: must be a postgres URL'))).toBe(
      'ConfigError: DATABASE_URL: must be a postgres URL',
    );
    expect(
      describeBootError(new RouterKeyError('ROUTER_PSEUDONYM_KEY_FILE: unreadable'), ['RouterKeyError']),
    ).toBe('RouterKeyError: ROUTER_PSEUDONYM_KEY_FILE: unreadable');
  });

  it('withholds the message of any other error and says how to see it', () => {
    const text = describeBootError(new TypeError('duplicate key (19850101-1234)'));
    expect(text).toBe('TypeError (message withheld; set LOG_LEVEL=debug to see it)');
    expect(describeBootError(new RouterKeyError('secret'))).not.toContain('secret');
    expect(describeBootError('oops')).toBe('string thrown (set LOG_LEVEL=debug to see it)');
  });
});
