import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthUser } from '@samverkan/auth';
import { CE_HEADERS, dlqTopic, TOPIC_PREFIX } from '@samverkan/contracts';
import {
  DLQ_HEADERS,
  produceMessages,
  readTopicUpToEnd,
  type KafkaAdminConnection,
  type RawTopicMessage,
} from '@samverkan/messaging';
import { AppError } from '@samverkan/platform';
import type { DataSource } from 'typeorm';
import { isPrivileged } from '../access/operator-access';
import { AuditService } from '../audit/audit.service';
import { OPERATIONS_KAFKA } from '../common/operations.tokens';
import { ConsumerGroupsService } from '../consumer-groups/consumer-groups.service';
import { DeadLetterState, type DeadLetterResolution } from './dead-letter-state.entity';
import { fullPayload, maskedPayload } from './masking';
import { originalHeaders, REPLAY_HEADERS } from './replay-headers';

export type DeadLetterStateName = 'open' | DeadLetterResolution;

export interface DeadLetterView {
  id: string;
  partition: number;
  offset: number;
  timestamp: string;
  eventId: string | null;
  eventType: string | null;
  subject: string | null;
  key: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: number | null;
  reason: string | null;
  errorClass: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number | null;
  failedAt: string | null;
  isReplay: boolean;
  replayOf: string | null;
  headers: Record<string, string>;
  payload: unknown;
  payloadMasked: boolean;
  payloadParseable: boolean;
  state: DeadLetterStateName;
  replayCount: number;
  lastReplayedAt: string | null;
  discardedAt: string | null;
  discardReason: string | null;
}

export interface DeadLetterFilter {
  errorClass?: string;
  originalTopic?: string;
  eventType?: string;
  from?: Date;
  to?: Date;
  state: DeadLetterStateName | 'all';
  limit: number;
}

export type RefusalReason = 'replay-of-replay' | 'discarded' | 'not-found' | 'no-original-topic';

/** Only these may be replayed into: operations' principal may write them, and nothing else makes sense. */
const REPLAYABLE_TOPIC = new RegExp(
  `^${TOPIC_PREFIX.replace('.', '\\.')}\\.(source|audience)\\.[A-Za-z0-9._-]+$`,
);

/** SQL: the conflicting row was written for the same letter (its timestamp, or for old rows its event id). */
const SAME_LETTER = `(dead_letter_states.letter_timestamp = EXCLUDED.letter_timestamp OR (dead_letter_states.letter_timestamp IS NULL AND dead_letter_states.event_id = EXCLUDED.event_id))`;

export const letterId = (partition: number, offset: number): string => `${partition}-${offset}`;

/**
 * The operator's action on this very letter, if any. A row at the same position but for another letter
 * (the topic was recreated, or the database outlived a Kafka cluster) is not this letter's: applying it
 * would hide a new poison message as "discarded" before anyone saw it.
 */
export function stateOf(
  states: ReadonlyMap<string, DeadLetterState>,
  message: RawTopicMessage,
): DeadLetterState | undefined {
  const row = states.get(letterId(message.partition, message.offset));
  if (!row) return undefined;
  if (row.letterTimestamp) return row.letterTimestamp.getTime() === message.timestamp ? row : undefined;
  const eventId = message.headers[CE_HEADERS.id];
  return eventId !== undefined && row.eventId === eventId ? row : undefined;
}

/**
 * Dead letters of one consumer group, read from `samverkan.dlq.<group>` as operations' principal
 * without committing (a fresh `operations.dlq-reader.*` group per read), joined with what operators
 * did (dead_letter_states). A read is cached until the topic's end offset moves.
 */
@Injectable()
export class DeadLettersService {
  private readonly cache = new Map<string, { end: number; messages: RawTopicMessage[] }>();

  constructor(
    @Inject(OPERATIONS_KAFKA) private readonly connection: KafkaAdminConnection,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ConsumerGroupsService) private readonly groups: ConsumerGroupsService,
  ) {}

  private async letters(groupId: string): Promise<RawTopicMessage[]> {
    const inspector = this.groups.kafka;
    const topic = dlqTopic(groupId);
    if (!(await inspector.topicExists(topic)))
      throw AppError.notFound('Dead-letter topic of the consumer group');
    const end = (await inspector.topicOffsets(topic)).reduce((sum, o) => sum + o.end, 0);
    const cached = this.cache.get(groupId);
    if (cached && cached.end === end) return cached.messages;
    const read = await readTopicUpToEnd(this.connection, topic, { groupIdPrefix: 'operations.dlq-reader.' });
    // A read that gave up early (slow group join on a busy broker) is shown but not cached, or the
    // missing letters would stay hidden until the next one arrives.
    if (read.complete) this.cache.set(groupId, { end, messages: read.messages });
    return read.messages;
  }

  /** Operators' actions on this group's letters, keyed by position; see stateOf for who they apply to. */
  private async states(groupId: string): Promise<Map<string, DeadLetterState>> {
    const rows = await this.dataSource
      .getRepository(DeadLetterState)
      .find({ where: { consumerGroup: groupId } });
    return new Map(rows.map((r) => [letterId(r.dlqPartition, Number(r.dlqOffset)), r]));
  }

  private view(
    message: RawTopicMessage,
    state: DeadLetterState | undefined,
    privileged: boolean,
  ): DeadLetterView {
    const h = message.headers;
    const type = h[CE_HEADERS.type];
    const payload = privileged ? fullPayload(message.value) : maskedPayload(type, message.value);
    const num = (v: string | undefined) =>
      v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
    return {
      id: letterId(message.partition, message.offset),
      partition: message.partition,
      offset: message.offset,
      timestamp: new Date(message.timestamp).toISOString(),
      eventId: h[CE_HEADERS.id] ?? null,
      eventType: type ?? null,
      subject: h[CE_HEADERS.subject] ?? null,
      key: message.key ? message.key.toString('utf8') : null,
      originalTopic: h[DLQ_HEADERS.originalTopic] ?? null,
      originalPartition: num(h[DLQ_HEADERS.originalPartition]),
      originalOffset: num(h[DLQ_HEADERS.originalOffset]),
      reason: h[DLQ_HEADERS.reason] ?? null,
      errorClass: h[DLQ_HEADERS.errorClass] ?? null,
      errorCode: h[DLQ_HEADERS.errorCode] ?? null,
      errorMessage: h[DLQ_HEADERS.errorMessage] ?? null,
      attempts: num(h[DLQ_HEADERS.attempts]),
      failedAt: h[DLQ_HEADERS.failedAt] ?? null,
      isReplay: h[REPLAY_HEADERS.replayOf] !== undefined,
      replayOf: h[REPLAY_HEADERS.replayOf] ?? null,
      headers: { ...h },
      payload: payload.payload,
      payloadMasked: payload.masked,
      payloadParseable: payload.parseable,
      state: state?.state ?? 'open',
      replayCount: state?.replayCount ?? 0,
      lastReplayedAt: state?.lastReplayedAt?.toISOString() ?? null,
      discardedAt: state?.discardedAt?.toISOString() ?? null,
      discardReason: state?.discardReason ?? null,
    };
  }

  async list(groupId: string, filter: DeadLetterFilter, user: AuthUser) {
    const privileged = isPrivileged(user);
    const [messages, states] = await Promise.all([this.letters(groupId), this.states(groupId)]);
    const matching = messages
      .map((m) => this.view(m, stateOf(states, m), privileged))
      .filter(
        (v) =>
          (filter.state === 'all' || v.state === filter.state) &&
          (!filter.errorClass || v.errorClass === filter.errorClass) &&
          (!filter.originalTopic || v.originalTopic === filter.originalTopic) &&
          (!filter.eventType || v.eventType === filter.eventType) &&
          (!filter.from || Date.parse(v.failedAt ?? v.timestamp) >= filter.from.getTime()) &&
          (!filter.to || Date.parse(v.failedAt ?? v.timestamp) <= filter.to.getTime()),
      )
      .reverse();
    const items = matching.slice(0, filter.limit);
    // Seeing personal data is itself worth a record: who looked at which letters unmasked.
    if (privileged && items.length > 0)
      await this.audit.record(user, {
        action: 'dead-letters.view-unmasked',
        consumerGroup: groupId,
        targetIds: items.map((i) => i.id),
      });
    return { groupId, topic: dlqTopic(groupId), masked: !privileged, total: matching.length, items };
  }

  /** Dead letters grouped by error class and handler (event type), with counts and first/last seen. */
  async failureGroups(groupId: string) {
    const [messages, states] = await Promise.all([this.letters(groupId), this.states(groupId)]);
    const groups = new Map<
      string,
      {
        errorClass: string;
        eventType: string;
        reason: string;
        count: number;
        openCount: number;
        firstSeen: string;
        lastSeen: string;
        originalTopics: Set<string>;
      }
    >();
    for (const m of messages) {
      const v = this.view(m, stateOf(states, m), false);
      if (v.state === 'discarded') continue;
      const errorClass = v.errorClass ?? 'unknown';
      const eventType = v.eventType ?? 'unknown';
      const reason = v.reason ?? 'unknown';
      const key = `${errorClass}\u0000${eventType}\u0000${reason}`;
      const seen = v.failedAt ?? v.timestamp;
      const g = groups.get(key) ?? {
        errorClass,
        eventType,
        reason,
        count: 0,
        openCount: 0,
        firstSeen: seen,
        lastSeen: seen,
        originalTopics: new Set<string>(),
      };
      g.count += 1;
      if (v.state === 'open') g.openCount += 1;
      if (seen < g.firstSeen) g.firstSeen = seen;
      if (seen > g.lastSeen) g.lastSeen = seen;
      if (v.originalTopic) g.originalTopics.add(v.originalTopic);
      groups.set(key, g);
    }
    return {
      groupId,
      groups: [...groups.values()]
        .map((g) => ({ ...g, originalTopics: [...g.originalTopics].sort() }))
        .sort((a, b) => b.count - a.count || a.errorClass.localeCompare(b.errorClass)),
    };
  }

  async replay(
    groupId: string,
    request: { ids?: string[]; errorClass?: string; reason: string },
    user: AuthUser,
  ) {
    const [messages, states] = await Promise.all([this.letters(groupId), this.states(groupId)]);
    const byId = new Map(messages.map((m) => [letterId(m.partition, m.offset), m]));
    const refused: Array<{ id: string; reason: RefusalReason }> = [];
    let selected: RawTopicMessage[];
    if (request.ids) {
      selected = [];
      for (const id of new Set(request.ids)) {
        const m = byId.get(id);
        if (m) selected.push(m);
        else refused.push({ id, reason: 'not-found' });
      }
    } else {
      selected = messages.filter(
        (m) =>
          m.headers[DLQ_HEADERS.errorClass] === request.errorClass &&
          (stateOf(states, m)?.state ?? 'open') === 'open',
      );
    }
    const toSend: Array<{ id: string; message: RawTopicMessage; topic: string; partition?: number }> = [];
    for (const m of selected) {
      const id = letterId(m.partition, m.offset);
      const topic = m.headers[DLQ_HEADERS.originalTopic];
      if (m.headers[REPLAY_HEADERS.replayOf] !== undefined) refused.push({ id, reason: 'replay-of-replay' });
      else if (stateOf(states, m)?.state === 'discarded') refused.push({ id, reason: 'discarded' });
      else if (!topic || !REPLAYABLE_TOPIC.test(topic)) refused.push({ id, reason: 'no-original-topic' });
      else {
        const p = Number(m.headers[DLQ_HEADERS.originalPartition]);
        toSend.push({ id, message: m, topic, partition: Number.isInteger(p) && p >= 0 ? p : undefined });
      }
    }
    const now = new Date();
    const byTopic = new Map<string, typeof toSend>();
    for (const item of toSend) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item]);
    const replayed: Array<{ id: string; eventId: string | null; topic: string; partition: number }> = [];
    for (const [topic, items] of byTopic) {
      // Original key, value and headers; the replay header marks the copy (and its own dead letter, if any).
      const results = await produceMessages(
        this.connection,
        topic,
        items.map((i) => ({
          key: i.message.key,
          value: i.message.value,
          headers: {
            ...originalHeaders(i.message.headers),
            [REPLAY_HEADERS.replayOf]: `${groupId}/${i.id}`,
            [REPLAY_HEADERS.replayedAt]: now.toISOString(),
          },
          partition: i.partition,
        })),
      );
      items.forEach((i, n) =>
        replayed.push({
          id: i.id,
          eventId: i.message.headers[CE_HEADERS.id] ?? null,
          topic,
          partition: i.partition ?? results[n]?.partition ?? -1,
        }),
      );
    }
    await this.dataSource.transaction(async (manager) => {
      for (const item of toSend) {
        const [partition, offset] = item.id.split('-');
        await manager.query(
          // A row left at this position by another letter is replaced, not continued.
          `INSERT INTO dead_letter_states (consumer_group, dlq_partition, dlq_offset, event_id, letter_timestamp, state, replay_count, last_replayed_at, updated_at)
           VALUES ($1, $2, $3, $4, $6, 'replayed', 1, $5, now())
           ON CONFLICT (consumer_group, dlq_partition, dlq_offset) DO UPDATE
             SET state = 'replayed',
                 replay_count = CASE WHEN ${SAME_LETTER} THEN dead_letter_states.replay_count + 1 ELSE 1 END,
                 discarded_at = CASE WHEN ${SAME_LETTER} THEN dead_letter_states.discarded_at END,
                 discard_reason = CASE WHEN ${SAME_LETTER} THEN dead_letter_states.discard_reason END,
                 event_id = EXCLUDED.event_id, letter_timestamp = EXCLUDED.letter_timestamp,
                 last_replayed_at = EXCLUDED.last_replayed_at, updated_at = now()`,
          [
            groupId,
            Number(partition),
            offset,
            item.message.headers[CE_HEADERS.id] ?? null,
            now,
            new Date(item.message.timestamp),
          ],
        );
      }
      await this.audit.record(
        user,
        {
          action: 'dead-letters.replay',
          consumerGroup: groupId,
          targetIds: toSend.map((i) => i.id),
          reason: request.reason,
          details: { errorClass: request.errorClass ?? null, refused },
        },
        manager,
      );
    });
    return { replayed, refused };
  }

  async discard(groupId: string, request: { ids: string[]; reason: string }, user: AuthUser) {
    const messages = await this.letters(groupId);
    const byId = new Map(messages.map((m) => [letterId(m.partition, m.offset), m]));
    const ids = [...new Set(request.ids)];
    const found = ids.filter((id) => byId.has(id));
    const notFound = ids.filter((id) => !byId.has(id));
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      for (const id of found) {
        const [partition, offset] = id.split('-');
        await manager.query(
          `INSERT INTO dead_letter_states (consumer_group, dlq_partition, dlq_offset, event_id, letter_timestamp, state, discarded_at, discard_reason, updated_at)
           VALUES ($1, $2, $3, $4, $7, 'discarded', $5, $6, now())
           ON CONFLICT (consumer_group, dlq_partition, dlq_offset) DO UPDATE
             SET state = 'discarded', discarded_at = EXCLUDED.discarded_at,
                 replay_count = CASE WHEN ${SAME_LETTER} THEN dead_letter_states.replay_count ELSE 0 END,
                 last_replayed_at = CASE WHEN ${SAME_LETTER} THEN dead_letter_states.last_replayed_at END,
                 event_id = EXCLUDED.event_id, letter_timestamp = EXCLUDED.letter_timestamp,
                 discard_reason = EXCLUDED.discard_reason, updated_at = now()`,
          [
            groupId,
            Number(partition),
            offset,
            byId.get(id)?.headers[CE_HEADERS.id] ?? null,
            now,
            request.reason,
            new Date(byId.get(id)?.timestamp ?? Date.now()),
          ],
        );
      }
      await this.audit.record(
        user,
        {
          action: 'dead-letters.discard',
          consumerGroup: groupId,
          targetIds: found,
          reason: request.reason,
          details: { notFound },
        },
        manager,
      );
    });
    return { discarded: found, notFound };
  }

  /**
   * Letters of the group still open (in the topic, neither replayed nor discarded), for the metrics.
   * Counted letter by letter, so an action recorded for an earlier letter at the same position (a
   * recreated topic) does not make a new one look resolved. Reads are cached until the topic moves.
   */
  async openCount(groupId: string): Promise<number> {
    const [messages, states] = await Promise.all([this.letters(groupId), this.states(groupId)]);
    return messages.filter((m) => stateOf(states, m) === undefined).length;
  }
}
