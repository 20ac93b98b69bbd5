import { ReportingProjections1764200000000 } from './1764200000000-reporting-projections.migration';

/** In order; the service kit runs them (after the messaging tables) at start. */
export const REPORTING_MIGRATIONS = [ReportingProjections1764200000000];
