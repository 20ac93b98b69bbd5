import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles, ROLES } from '@samverkan/auth';
import { DataSource } from 'typeorm';
import { WEBHOOK_DELIVERY_STATES, type WebhookDeliveryState } from './webhook-delivery-status.entity';

/** Roles that may read delivery status: the operations console's. */
export const WEBHOOK_STATUS_ROLES = [ROLES.OPERATOR, ROLES.OPERATOR_PRIVILEGED];

export interface WebhookSubscriberSummary {
  subscriberId: string;
  delivered: number;
  retrying: number;
  deadLettered: number;
  lastAttemptAt: string | null;
}

/**
 * GET /webhooks/status: per subscriber, how many events were delivered, are being retried or went to
 * the dead letters, and the last attempt; GET /webhooks/deliveries: the latest attempts (ids, type,
 * state, attempts, HTTP status; never payloads). For the operations console.
 */
@ApiTags('webhooks')
@Roles(...WEBHOOK_STATUS_ROLES)
@Controller('webhooks')
export class WebhookStatusController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('status')
  @ApiOkResponse({ description: 'one row per subscriber' })
  async status(): Promise<WebhookSubscriberSummary[]> {
    const rows: Array<Record<string, string | null>> = await this.dataSource.query(
      `SELECT subscriber_id,
              count(*) FILTER (WHERE state = 'delivered') AS delivered,
              count(*) FILTER (WHERE state = 'retrying') AS retrying,
              count(*) FILTER (WHERE state = 'dead-lettered') AS dead_lettered,
              max(last_attempt_at) AS last_attempt_at
         FROM webhook_deliveries GROUP BY subscriber_id ORDER BY subscriber_id`,
    );
    return rows.map((r) => ({
      subscriberId: String(r.subscriber_id),
      delivered: Number(r.delivered),
      retrying: Number(r.retrying),
      deadLettered: Number(r.dead_lettered),
      lastAttemptAt: r.last_attempt_at === null ? null : new Date(r.last_attempt_at).toISOString(),
    }));
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
              last_http_status AS "lastHttpStatus", last_attempt_at AS "lastAttemptAt"
         FROM webhook_deliveries WHERE ($1::text IS NULL OR state = $1)
        ORDER BY last_attempt_at DESC LIMIT $2`,
      [wanted, n],
    );
  }
}
