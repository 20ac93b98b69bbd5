import { OperationsSchema1764200000000 } from './1764200000000-operations-schema.migration';

/** Operations' migrations, in order (the service kit adds the messaging tables' own). */
export const OPERATIONS_MIGRATIONS = [OperationsSchema1764200000000];
