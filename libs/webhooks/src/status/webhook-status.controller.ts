import { Controller, Get, Inject, Optional, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles, ROLES } from '@samverkan/auth';
import { DataSource } from 'typeorm';
import { WEBHOOK_DELIVERY_STATES, type WebhookDeliveryState } from './webhook-delivery-status.entity';

/** Roles that may read delivery status: the operations console's. */
export const WEBHOOK_STATUS_ROLES = [ROLES.OPERATOR, ROLES.OPERATOR_PRIVILEGED];

/** The configured subscriber of the app that delivers, as the console may see it (no path, no secret). */
export interface WebhookSubscriberInfo {
  subscriberId: string;
  /** Scheme, host and port of the receiver only: a path or query may carry the receiver's own token. */
  receiver: string;
  rateLimit: { perSecond: number; burst: number };
  maxAttempts: number;
}
export const WEBHOOK_SUBSCRIBER_INFO = Symbol('WEBHOOK_SUBSCRIBER_INFO');

export interface WebhookSubscriberSummary {
  subscriberId: string;
  receiver: string | null;
  rateLimit: { perSecond: number; burst: number } | null;
  maxAttempts: number | null;
  delivered: number;
  /** Failed at least once and still being retried (pending). */
  retrying: number;
  /** Refused, or every attempt failed: on the dead-letter topic (failed). */
  deadLettered: number;
  lastAttemptAt: string | null;
  lastDeliveredAt: string | null;
  lastFailureAt: string | null;
  /** `HTTP_<status>` or a WebhookErrorCode of the latest failure. */
  lastErrorCode: string | null;
  /** While an event waits for its next attempt: the latest that attempt will come, and how long until then. */
  backoffUntil: string | null;
  currentBackoffMs: number | null;
}

const iso = (v: string | Date | null | undefined): string | null =>
  v === null || v === undefined ? null : new Date(v).toISOString();

/**
 * GET /webhooks/status: per subscriber, how many events were delivered, are being retried or went to
 * the dead letters, the last success and failure with its error code, and the current backoff;
 * GET /webhooks/deliveries: the latest attempts (ids, type, state, attempts, HTTP status, error code;
 * never payloads). For the operations console.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(...WEBHOOK_STATUS_ROLES)
@Controller('webhooks')
export class WebhookStatusController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(WEBHOOK_SUBSCRIBER_INFO) private readonly subscriber?: WebhookSubscriberInfo,
  ) {}

  @Get('status')
  @ApiOkResponse({ description: 'one row per subscriber' })
  async status(): Promise<WebhookSubscriberSummary[]> {
    const rows: Array<Record<string, string | Date | null>> = await this.dataSource.query(
      `SELECT subscriber_id,
              count(*) FILTER (WHERE state = 'delivered') AS delivered,
              count(*) FILTER (WHERE state = 'retrying') AS retrying,
              count(*) FILTER (WHERE state = 'dead-lettered') AS dead_lettered,
              max(last_attempt_at) AS last_attempt_at,
              max(last_attempt_at) FILTER (WHERE state = 'delivered') AS last_delivered_at,
              max(last_failure_at) AS last_failure_at,
              (array_agg(last_error_code ORDER BY last_failure_at DESC NULLS LAST))[1] AS last_error_code,
              max(next_attempt_by) FILTER (WHERE state = 'retrying' AND next_attempt_by > now()) AS backoff_until,
              ceil(extract(epoch FROM max(next_attempt_by) FILTER (WHERE state = 'retrying' AND next_attempt_by > now())
                   - now()) * 1000) AS backoff_ms
         FROM webhook_deliveries GROUP BY subscriber_id ORDER BY subscriber_id`,
    );
    const summaries = rows.map((r): WebhookSubscriberSummary => {
      const id = String(r.subscriber_id);
      const info = this.subscriber?.subscriberId === id ? this.subscriber : undefined;
      return {
        subscriberId: id,
        receiver: info?.receiver ?? null,
        rateLimit: info?.rateLimit ?? null,
        maxAttempts: info?.maxAttempts ?? null,
        delivered: Number(r.delivered),
        retrying: Number(r.retrying),
        deadLettered: Number(r.dead_lettered),
        lastAttemptAt: iso(r.last_attempt_at),
        lastDeliveredAt: iso(r.last_delivered_at),
        lastFailureAt: iso(r.last_failure_at),
        lastErrorCode: r.last_error_code === null ? null : String(r.last_error_code),
        backoffUntil: iso(r.backoff_until),
        currentBackoffMs: r.backoff_ms === null ? null : Number(r.backoff_ms),
      };
    });
    // The configured subscriber shows before its first delivery too.
    if (this.subscriber && !summaries.some((s) => s.subscriberId === this.subscriber?.subscriberId)) {
      const { subscriberId, receiver, rateLimit, maxAttempts } = this.subscriber;
      summaries.push({
        subscriberId,
        receiver,
        rateLimit,
        maxAttempts,
        delivered: 0,
        retrying: 0,
        deadLettered: 0,
        lastAttemptAt: null,
        lastDeliveredAt: null,
        lastFailureAt: null,
        lastErrorCode: null,
        backoffUntil: null,
        currentBackoffMs: null,
      });
    }
    return summaries;
  }

  @Get('deliveries')
  @ApiQuery({ name: 'state', required: false, enum: WEBHOOK_DELIVERY_STATES })
  @ApiQuery({ name: 'limit', required: false })
  async deliveries(@Query('state') state?: string, @Query('limit') limit?: string) {
    const wanted = (WEBHOOK_DELIVERY_STATES as readonly string[]).includes(state ?? '')
      ? (state as WebhookDeliveryState)
      : null;
    const n = Math.min(Math.max(Number(limit) || 100, 1), 1000);
    return this.dataSource.query(
      `SELECT subscriber_id AS "subscriberId", event_id AS "eventId", event_type AS "eventType", state, attempts,
              last_http_status AS "lastHttpStatus", last_attempt_at AS "lastAttemptAt",
              last_error_code AS "lastErrorCode", last_failure_at AS "lastFailureAt",
              next_attempt_by AS "nextAttemptBy"
         FROM webhook_deliveries WHERE ($1::text IS NULL OR state = $1)
        ORDER BY last_attempt_at DESC LIMIT $2`,
      [wanted, n],
    );
  }
}
