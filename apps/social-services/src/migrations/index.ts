import { SocialServicesSchema1764000000000 } from './1764000000000-social-services-schema.migration';
import { Investigations1764200000000 } from './1764200000000-investigations.migration';

/** In order; the service kit runs them (after the messaging tables) at start. */
export const SOCIAL_SERVICES_MIGRATIONS = [SocialServicesSchema1764000000000, Investigations1764200000000];
