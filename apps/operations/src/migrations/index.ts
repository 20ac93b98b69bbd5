import { OperationsSchema1764200000000 } from './1764200000000-operations-schema.migration';
import { DeadLetterIdentity1764300000000 } from './1764300000000-dead-letter-identity.migration';
import { LagSamples1764400000000 } from './1764400000000-lag-samples.migration';

/** Operations' migrations, in order (the service kit adds the messaging tables' own). */
export const OPERATIONS_MIGRATIONS = [
  OperationsSchema1764200000000,
  DeadLetterIdentity1764300000000,
  LagSamples1764400000000,
];
