import { validateEnv } from '@samverkan/config';
import { LeisureEnv } from './leisure.env';

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'leisure',
  KAFKA_PASSWORD: 'x',
  DATABASE_URL: 'postgres://leisure@127.0.0.1/leisure',
};

describe('LeisureEnv', () => {
  it('defaults: port 3003, places announced 14 days before the start, checked hourly', () => {
    expect(validateEnv(LeisureEnv, BASE)).toMatchObject({
      PORT: 3003,
      PLACES_AVAILABLE_WINDOW_DAYS: 14,
      PLACES_AVAILABLE_SWEEP_MINUTES: 60,
    });
  });

  it('reads the window and refuses a nonsense one', () => {
    expect(
      validateEnv(LeisureEnv, { ...BASE, PLACES_AVAILABLE_WINDOW_DAYS: '21' }).PLACES_AVAILABLE_WINDOW_DAYS,
    ).toBe(21);
    expect(() => validateEnv(LeisureEnv, { ...BASE, PLACES_AVAILABLE_WINDOW_DAYS: '-1' })).toThrow(
      /PLACES_AVAILABLE_WINDOW_DAYS/,
    );
  });
});
