import { BaseServiceEnv } from './base-service.env';
import { parseClockOffset } from './clock-offset';
import { ConfigError } from './config-error';
import { validateEnv } from './validate-env';

const base = (): Record<string, string> => ({
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'social-services',
  KAFKA_PASSWORD: 'not-a-real-password',
  DATABASE_URL: 'postgres://social:secret@127.0.0.1:5432/social',
});

function issues(env: Record<string, string>): ConfigError['issues'] {
  try {
    validateEnv(BaseServiceEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('parseClockOffset', () => {
  it.each([
    ['-16d', -16 * 86_400_000],
    ['+2h', 2 * 3_600_000],
    ['90m', 90 * 60_000],
    ['-1d12h30m', -(86_400_000 + 12 * 3_600_000 + 30 * 60_000)],
    ['45s', 45_000],
    ['0d', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseClockOffset(text)).toBe(ms);
  });

  it.each(['', '-', '16', '16 days', 'P16D', '-16d+2h', '2h1d', '1.5d'])('refuses %j', (text) => {
    expect(parseClockOffset(text)).toBeNaN();
  });
});

describe('CLOCK_OFFSET in BaseServiceEnv', () => {
  it('is unset by default: the system clock', () => {
    expect(validateEnv(BaseServiceEnv, base()).CLOCK_OFFSET).toBeUndefined();
  });

  it('is converted to milliseconds outside production', () => {
    const env = validateEnv(BaseServiceEnv, { ...base(), CLOCK_OFFSET: '-16d', NODE_ENV: 'development' });
    expect(env.CLOCK_OFFSET).toBe(-16 * 86_400_000);
    expect(validateEnv(BaseServiceEnv, { ...base(), CLOCK_OFFSET: '+2h' }).CLOCK_OFFSET).toBe(7_200_000);
  });

  it('is refused when NODE_ENV=production, naming the rule and not the value', () => {
    expect(issues({ ...base(), CLOCK_OFFSET: '-16d', NODE_ENV: 'production' })).toEqual([
      {
        variable: 'CLOCK_OFFSET',
        message: 'must not be set when NODE_ENV=production (simulated time is for demos and local runs)',
      },
    ]);
  });

  it('production without CLOCK_OFFSET starts normally', () => {
    expect(validateEnv(BaseServiceEnv, { ...base(), NODE_ENV: 'production' }).CLOCK_OFFSET).toBeUndefined();
  });

  it('refuses a malformed duration', () => {
    expect(issues({ ...base(), CLOCK_OFFSET: '16 days' })).toEqual([
      { variable: 'CLOCK_OFFSET', message: 'must be a signed duration such as -16d, +2h or -1d12h30m' },
    ]);
  });
});
