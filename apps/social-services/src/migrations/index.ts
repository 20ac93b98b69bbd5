import { SocialServicesSchema1764000000000 } from './1764000000000-social-services-schema.migration';

/** In order; the service kit runs them (after the messaging tables) at start. */
export const SOCIAL_SERVICES_MIGRATIONS = [SocialServicesSchema1764000000000];
