import { ConfigError, validateEnv } from '@samverkan/config';
import { SocialServicesEnv } from './social-services.env';

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:19092',
  KAFKA_USERNAME: 'social-services',
  KAFKA_PASSWORD: 'x',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/social_services',
};

describe('SocialServicesEnv', () => {
  it('defaults: port 3002, office 08:00–17:00, no extra closing days, strict decision deadline', () => {
    expect(validateEnv(SocialServicesEnv, BASE)).toMatchObject({
      PORT: 3002,
      INTAKE_OFFICE_OPENS: '08:00',
      INTAKE_OFFICE_CLOSES: '17:00',
      INTAKE_EXTRA_NON_WORKING_DAYS: [],
      INTAKE_DECISION_DUE_ON_WORKING_DAY: false,
    });
  });

  it('names each bad intake variable', () => {
    let error: unknown;
    try {
      validateEnv(SocialServicesEnv, {
        ...BASE,
        INTAKE_OFFICE_CLOSES: '25:00',
        INTAKE_EXTRA_NON_WORKING_DAYS: '2027-05-07,7 May',
        INTAKE_DECISION_DUE_ON_WORKING_DAY: 'sometimes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable)).toEqual([
      'INTAKE_OFFICE_CLOSES',
      'INTAKE_EXTRA_NON_WORKING_DAYS',
      'INTAKE_DECISION_DUE_ON_WORKING_DAY',
    ]);
  });
});
