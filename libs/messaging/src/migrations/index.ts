import { InboxRecord } from '../inbox/inbox-record.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { MessagingTables1763900000000 } from './1763900000000-messaging-tables.migration';
import { OutboxPendingByShard1763900000001 } from './1763900000001-outbox-pending-by-shard.migration';

/** Add to the app's DataSource `entities`. */
export const MESSAGING_ENTITIES = [OutboxMessage, InboxRecord];
/** Add to the app's DataSource `migrations`. */
export const MESSAGING_MIGRATIONS = [MessagingTables1763900000000, OutboxPendingByShard1763900000001];
export { MessagingTables1763900000000, OutboxPendingByShard1763900000001 };
