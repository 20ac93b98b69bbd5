import { IsBoolean, IsString } from 'class-validator';
import { BaseServiceEnv, logLevelsFrom } from './base-service.env';
import { ConfigError, ConfigErrorCode } from './config-error';
import { ToBoolean } from './env-transforms';
import { validateEnv } from './validate-env';

const SECRET = 's3cr3t-Pa55word!';
const DB_URL = `postgres://education:${SECRET}@127.0.0.1:5432/education`;

const good = (): Record<string, string> => ({
  KAFKA_BROKERS: '127.0.0.1:19092, broker-2.local:9092',
  KAFKA_USERNAME: 'education',
  KAFKA_PASSWORD: SECRET,
  DATABASE_URL: DB_URL,
  UNRELATED: 'ignored',
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('validateEnv with BaseServiceEnv', () => {
  it('parses, converts and applies defaults', () => {
    const env = validateEnv(BaseServiceEnv, good());
    expect(env).toBeInstanceOf(BaseServiceEnv);
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:19092', 'broker-2.local:9092']);
    expect(env.KAFKA_SASL_MECHANISM).toBe('scram-sha-256');
    expect(env.PORT).toBe(3000);
    expect(env.MUNICIPALITY).toBe('0781');
    expect(env.LOG_LEVEL).toBe('log');
    expect(env.DATABASE_URL).toBe(DB_URL);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env).not.toHaveProperty('UNRELATED');
  });

  it('takes DATABASE_POOL_SIZE as an integer from 2 to 200', () => {
    expect(validateEnv(BaseServiceEnv, { ...good(), DATABASE_POOL_SIZE: '30' }).DATABASE_POOL_SIZE).toBe(30);
    for (const bad of ['1', '201', 'many', '2.5']) {
      const err = configError(() => validateEnv(BaseServiceEnv, { ...good(), DATABASE_POOL_SIZE: bad }));
      expect(err.message).toContain('DATABASE_POOL_SIZE: must be an integer between 2 and 200');
    }
  });

  it('takes given values over defaults and treats empty strings as unset', () => {
    const env = validateEnv(BaseServiceEnv, { ...good(), PORT: '8081', MUNICIPALITY: '1283', LOG_LEVEL: '' });
    expect(env.PORT).toBe(8081);
    expect(env.MUNICIPALITY).toBe('1283');
    expect(env.LOG_LEVEL).toBe('log');
  });

  it('names every bad variable on its own line, without echoing any value', () => {
    const err = configError(() =>
      validateEnv(BaseServiceEnv, {
        KAFKA_BROKERS: 'just-a-host',
        KAFKA_USERNAME: 'education',
        DATABASE_URL: `mysql://root:${SECRET}@db/x`,
        PORT: '99999',
        MUNICIPALITY: 'Ljungby',
        KAFKA_SASL_MECHANISM: 'gssapi',
        LOG_LEVEL: 'chatty',
      }),
    );
    expect(err.code).toBe(ConfigErrorCode.INVALID_ENV);
    expect(err.issues).toEqual([
      { variable: 'KAFKA_BROKERS', message: 'must be a comma-separated list of host:port' },
      { variable: 'KAFKA_PASSWORD', message: 'is required (the service SCRAM password)' },
      { variable: 'KAFKA_SASL_MECHANISM', message: 'must be one of scram-sha-256, scram-sha-512, plain' },
      { variable: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// connection URL' },
      { variable: 'PORT', message: 'must be an integer port between 1 and 65535' },
      { variable: 'MUNICIPALITY', message: 'must be a four-digit SCB municipality code, e.g. 0781' },
      { variable: 'LOG_LEVEL', message: 'must be one of fatal, error, warn, log, debug, verbose' },
    ]);
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(1 + err.issues.length);
    expect(lines[1]).toBe('  KAFKA_BROKERS: must be a comma-separated list of host:port');
    for (const leaked of [SECRET, 'just-a-host', 'mysql', '99999', 'Ljungby', 'gssapi', 'chatty']) {
      expect(err.message).not.toContain(leaked);
    }
  });

  it('rejects a non-numeric port and an empty broker list', () => {
    const err = configError(() =>
      validateEnv(BaseServiceEnv, { ...good(), PORT: '80a', KAFKA_BROKERS: ' , ' }),
    );
    expect(err.issues.map((i) => i.variable)).toEqual(['KAFKA_BROKERS', 'PORT']);
  });

  it('validates an app subclass with its own variables and transforms', () => {
    class RouterEnv extends BaseServiceEnv {
      @IsString({ message: 'is required (path to the pseudonym key file)' })
      PSEUDONYM_KEY_FILE: string;

      @ToBoolean()
      @IsBoolean({ message: 'must be true or false' })
      TRACE: boolean = false;
    }
    expect(
      validateEnv(RouterEnv, { ...good(), PSEUDONYM_KEY_FILE: '/run/secrets/k', TRACE: 'yes' }),
    ).toMatchObject({
      PSEUDONYM_KEY_FILE: '/run/secrets/k',
      TRACE: true,
    });
    expect(configError(() => validateEnv(RouterEnv, good())).message).toContain(
      'PSEUDONYM_KEY_FILE: is required (path to the pseudonym key file)',
    );
    expect(
      configError(() => validateEnv(RouterEnv, { ...good(), PSEUDONYM_KEY_FILE: 'k', TRACE: 'maybe' }))
        .issues,
    ).toEqual([{ variable: 'TRACE', message: 'must be true or false' }]);
  });

  it('maps a minimum log level to the Nest levels to enable', () => {
    expect(logLevelsFrom('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(logLevelsFrom('verbose')).toHaveLength(6);
  });
});
