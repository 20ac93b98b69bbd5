import { AuditEntry } from './audit/audit-entry.entity';
import { LagSampleRow } from './consumer-groups/lag-sample.entity';
import { DeadLetterState } from './dead-letters/dead-letter-state.entity';

/** The app's own tables (the service kit adds the messaging kit's outbox and inbox, unused here). */
export const OPERATIONS_ENTITIES = [AuditEntry, DeadLetterState, LagSampleRow];
