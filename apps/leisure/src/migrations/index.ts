import { LeisureSchema1764200000000 } from './1764200000000-leisure-schema.migration';

/** In order; the service kit runs them (after the messaging tables) at start. */
export const LEISURE_MIGRATIONS = [LeisureSchema1764200000000];
