import { ConfigError, validateEnv } from '@samverkan/config';
import { parseServiceUrls } from '../health/service-urls';
import { OperationsEnv } from './operations.env';

const base = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'operations',
  KAFKA_PASSWORD: 'secret-password',
  DATABASE_URL: 'postgres://operations:secret-password@127.0.0.1:5432/operations',
};

describe('OperationsEnv', () => {
  it('has the documented defaults', () => {
    const env = validateEnv(OperationsEnv, base);
    expect(env).toMatchObject({
      PORT: 3006,
      OPERATIONS_SAMPLE_INTERVAL_SECONDS: 10,
      OPERATIONS_STATUS_WINDOW: 10,
      OPERATIONS_HISTORY_MINUTES: 60,
      OPERATIONS_SAMPLER_ENABLED: true,
      OPERATIONS_SERVICE_URLS: [],
    });
    expect(new RegExp(env.OPERATIONS_IGNORE_GROUPS).test('operations.dlq-reader.x')).toBe(true);
    expect(new RegExp(env.OPERATIONS_IGNORE_GROUPS).test('education')).toBe(false);
  });

  it('parses service URLs as name=url pairs', () => {
    const env = validateEnv(OperationsEnv, {
      ...base,
      OPERATIONS_SERVICE_URLS: 'education=http://127.0.0.1:3001/, router=http://127.0.0.1:3004',
    });
    expect(parseServiceUrls(env.OPERATIONS_SERVICE_URLS)).toEqual([
      { name: 'education', url: 'http://127.0.0.1:3001' },
      { name: 'router', url: 'http://127.0.0.1:3004' },
    ]);
  });

  it('names each bad variable without echoing its value', () => {
    let error: unknown;
    try {
      validateEnv(OperationsEnv, {
        ...base,
        OPERATIONS_SERVICE_URLS: 'education:3001',
        OPERATIONS_SAMPLE_INTERVAL_SECONDS: '0',
        OPERATIONS_STATUS_WINDOW: 'ten',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
    expect(variables).toEqual(['OPERATIONS_SAMPLE_INTERVAL_SECONDS', 'OPERATIONS_SERVICE_URLS', 'OPERATIONS_STATUS_WINDOW']);
    expect((error as ConfigError).message).not.toContain('education:3001');
  });
});
