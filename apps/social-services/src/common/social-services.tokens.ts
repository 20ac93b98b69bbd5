/** DI token of the validated SocialServicesEnv. */
export const SOCIAL_SERVICES_ENV = Symbol('SOCIAL_SERVICES_ENV');
