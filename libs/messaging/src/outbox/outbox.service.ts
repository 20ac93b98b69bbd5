import { encodeCloudEvent, type CloudEvent, type EventMap, type EventType } from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';
import { MessagingError } from '../errors/messaging-error';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from './outbox-message.entity';
import { outboxShardOf } from './outbox-shard';

export interface OutboxServiceOptions {
  /** The service's source topic: where `add` writes unless told otherwise. */
  defaultTopic: string;
}

export interface OutboxAddOptions {
  topic?: string;
  /**
   * add()/addMany() only. `false`: no NOTIFY with the rows, so that commits of a hot path are not
   * serialized (see OutboxStatement.notify); the caller says committed() once its transaction has
   * committed, and other processes' relays find the rows by polling. Default true.
   */
  notify?: boolean;
}

export interface OutboxStatementOptions extends OutboxAddOptions {
  /** Number of the statement's first placeholder for the outbox rows (`$firstParam`). */
  firstParam: number;
  /** An SQL condition of the caller's statement: the rows are written only when it holds. */
  when?: string;
}

/** The outbox part of a caller's single statement (see OutboxService.statement). */
export interface OutboxStatement {
  /** `INSERT INTO messaging_outbox ... SELECT ...`: put it in a data-modifying CTE. */
  insert: string;
  /** Its parameters, numbered from `firstParam`. */
  params: unknown[];
  /**
   * An SQL expression that queues the relay's wake-up (returns void). Optional: the relay also polls
   * (OutboxRelayOptions.busyPollMs/idlePollMs). A hot path may leave it out: Postgres takes a global
   * lock for the commit of every transaction that NOTIFYs and holds it through the WAL flush, so such
   * commits run one at a time instead of sharing flushes.
   */
  notify: string;
}

export enum OutboxErrorCode {
  NoTransaction = 'OUTBOX_NO_TRANSACTION',
}

/** An event as the outbox stores it (the topic is the caller's). */
function outboxRowOf(event: CloudEvent): {
  eventId: string;
  key: string;
  headers: string;
  payload: string;
  shard: number;
} {
  const encoded = encodeCloudEvent(event);
  return {
    eventId: event.id,
    key: encoded.key,
    headers: JSON.stringify(encoded.headers),
    payload: encoded.value,
    shard: outboxShardOf(encoded.key),
  };
}

/**
 * Writes events into the outbox table inside the caller's transaction. The NOTIFY that wakes the
 * relay is transactional too: Postgres delivers it only on commit, so a rolled-back transaction
 * leaves neither a row nor a wake-up.
 */
export class OutboxService {
  private readonly committedListeners = new Set<() => void>();

  constructor(private readonly options: OutboxServiceOptions) {}

  /**
   * Says that rows written with statement() (no NOTIFY) have committed: this process's relay looks
   * at once instead of at its next poll. Call it after the statement returned. Other processes'
   * relays still find the rows by polling.
   */
  committed(): void {
    for (const listener of this.committedListeners) listener();
  }

  /** The relay of this process subscribes here (MessagingModule wires it); returns the unsubscribe. */
  onCommitted(listener: () => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  get defaultTopic(): string {
    return this.options.defaultTopic;
  }

  async add<T extends EventType>(
    manager: EntityManager,
    event: CloudEvent<T, EventMap[T]>,
    options: OutboxAddOptions = {},
  ): Promise<void> {
    await this.addMany(manager, [event], options);
  }

  /**
   * The outbox rows of `events` as part of ONE statement the caller writes together with its state
   * change, e.g. `WITH report AS (INSERT ...), outbox AS (<insert>) SELECT <notify>`. A single
   * statement is atomic on its own (its implicit transaction), so state and events commit together
   * in one round trip, without BEGIN and COMMIT: the same guarantee as add() inside a transaction,
   * for a hot path. Postgres delivers the NOTIFY on commit only, as with add().
   */
  statement<T extends EventType>(
    events: ReadonlyArray<CloudEvent<T, EventMap[T]>>,
    options: OutboxStatementOptions,
  ): OutboxStatement {
    const topic = options.topic ?? this.options.defaultTopic;
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const event of events) {
      const row = outboxRowOf(event);
      const n = options.firstParam + params.length;
      params.push(row.eventId, topic, row.key, row.headers, row.payload, row.shard);
      rows.push(
        `($${n}::uuid, $${n + 1}::text, $${n + 2}::text, $${n + 3}::jsonb, $${n + 4}::text, $${n + 5}::smallint)`,
      );
    }
    const when = options.when ? ` WHERE ${options.when}` : '';
    return {
      insert:
        `INSERT INTO ${OUTBOX_TABLE} (event_id, topic, message_key, headers, payload, shard) ` +
        `SELECT * FROM (VALUES ${rows.join(', ')}) AS rows (event_id, topic, message_key, headers, payload, shard)${when}`,
      params,
      notify: `pg_notify('${OUTBOX_CHANNEL}', '')`,
    };
  }

  /**
   * Like statement(), for a statement that writes many state changes of which only some are to
   * raise their event (a group commit: each request's row is written only if its own conditions
   * hold). The events travel as column arrays, so the text is the same for any number of events
   * and can be a prepared statement; `insert` writes, in the events' order, those whose id is in
   * the caller's set `eventIds` (an SQL subquery, e.g. `(SELECT event_id FROM accepted)`).
   */
  setStatement<T extends EventType>(
    events: ReadonlyArray<CloudEvent<T, EventMap[T]>>,
    options: OutboxAddOptions & { firstParam: number; eventIds: string },
  ): OutboxStatement {
    const topic = options.topic ?? this.options.defaultTopic;
    const ids: string[] = [];
    const keys: string[] = [];
    const headers: string[] = [];
    const payloads: string[] = [];
    const shards: number[] = [];
    for (const event of events) {
      const row = outboxRowOf(event);
      ids.push(row.eventId);
      keys.push(row.key);
      headers.push(row.headers);
      payloads.push(row.payload);
      shards.push(row.shard);
    }
    const n = options.firstParam;
    return {
      insert:
        `INSERT INTO ${OUTBOX_TABLE} (event_id, topic, message_key, headers, payload, shard) ` +
        `SELECT rows.event_id, $${n}::text, rows.message_key, rows.headers, rows.payload, rows.shard ` +
        `FROM unnest($${n + 1}::uuid[], $${n + 2}::text[], $${n + 3}::jsonb[], $${n + 4}::text[], $${n + 5}::smallint[]) ` +
        `WITH ORDINALITY AS rows (event_id, message_key, headers, payload, shard, ord) ` +
        `WHERE rows.event_id IN ${options.eventIds} ORDER BY rows.ord`,
      params: [topic, ids, keys, headers, payloads, shards],
      notify: `pg_notify('${OUTBOX_CHANNEL}', '')`,
    };
  }

  async addMany<T extends EventType>(
    manager: EntityManager,
    events: ReadonlyArray<CloudEvent<T, EventMap[T]>>,
    options: OutboxAddOptions = {},
  ): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      // Without a transaction the event could be published although the state change is lost (or
      // the reverse); refusing is the only safe answer.
      throw new MessagingError(
        OutboxErrorCode.NoTransaction,
        'OutboxService.add must be called with the EntityManager of an open transaction',
        true,
      );
    }
    const topic = options.topic ?? this.options.defaultTopic;
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const event of events) {
      const row = outboxRowOf(event);
      const base = params.length;
      params.push(row.eventId, topic, row.key, row.headers, row.payload, row.shard);
      rows.push(
        `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, $${base + 5}, $${base + 6})`,
      );
    }
    const insert = `INSERT INTO ${OUTBOX_TABLE} (event_id, topic, message_key, headers, payload, shard) VALUES ${rows.join(', ')}`;
    // One round trip: the data-modifying CTE always runs, the SELECT queues the NOTIFY.
    await manager.query(
      options.notify === false
        ? insert
        : `WITH inserted AS (${insert}) SELECT pg_notify('${OUTBOX_CHANNEL}', '')`,
      params,
    );
  }
}
