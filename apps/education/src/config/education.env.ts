import { BaseServiceEnv } from '@samverkan/config';

/**
 * Environment of apps/education (school, preschool, elevhälsa). Everything it needs is in
 * BaseServiceEnv; the bearer-token settings (AUTH_*) are read by @samverkan/auth.
 */
export class EducationEnv extends BaseServiceEnv {
  override PORT: number = 3001;
}
