import { RouterTables1763910000000 } from './1763910000000-router-tables.migration';

/** The router's migrations, in order (the service kit adds the messaging tables' own). */
export const ROUTER_MIGRATIONS = [RouterTables1763910000000];
