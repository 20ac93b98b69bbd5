import { Inject, Injectable } from '@nestjs/common';
import { OPERATIONS_ENV } from '../common/operations.tokens';
import type { OperationsEnv } from '../config/operations.env';
import { parseServiceUrls } from '../health/service-urls';

/** One webhook subscriber as the console shows it (from its delivering app's GET /webhooks/status). */
export interface WebhookSubscriberStatus {
  /** The app that delivers; its consumer group, and so its dead letters, carry the same name. */
  service: string;
  subscriberId: string;
  receiver: string | null;
  rateLimit: { perSecond: number; burst: number } | null;
  maxAttempts: number | null;
  delivered: number;
  /** Failed at least once and waiting for another attempt. */
  pending: number;
  /** On the dead-letter topic: refused, or every attempt failed. */
  failed: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** `HTTP_<status>` or a WEBHOOK_* code; anything else is dropped, so no free text reaches the console. */
  lastErrorCode: string | null;
  backoffUntil: string | null;
  currentBackoffMs: number | null;
  deadLetterGroup: string;
}

export interface WebhookSubscribersView {
  checkedAt: string;
  subscribers: WebhookSubscriberStatus[];
  /** Apps whose status could not be read (unreachable, or refused the operator's token). */
  unavailable: Array<{ service: string; httpStatus: number | null }>;
}

const TIMEOUT_MS = 3_000;
const ERROR_CODE = /^(HTTP_\d{3}|WEBHOOK_[A-Z_]{1,40})$/;

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const when = (v: unknown): string | null =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null;
const text = (v: unknown, pattern: RegExp): string | null =>
  typeof v === 'string' && pattern.test(v) ? v : null;

/**
 * Asks every app the console knows (OPERATIONS_SERVICE_URLS) for its webhook delivery status. Apps
 * that deliver no webhook answer 404 and are left out. Operations reads no other service's database:
 * the delivering app owns its status table and serves it to operators, so the operator's own token
 * is passed on (the app checks the role itself).
 */
@Injectable()
export class WebhookSubscribersService {
  private readonly services: Array<{ name: string; url: string }>;

  constructor(@Inject(OPERATIONS_ENV) env: OperationsEnv) {
    this.services = parseServiceUrls(env.OPERATIONS_SERVICE_URLS);
  }

  async all(authorization: string | undefined): Promise<WebhookSubscribersView> {
    const results = await Promise.all(this.services.map((s) => this.read(s, authorization)));
    return {
      checkedAt: new Date().toISOString(),
      subscribers: results.flatMap((r) => r.subscribers),
      unavailable: results.flatMap((r) => (r.unavailable ? [r.unavailable] : [])),
    };
  }

  private async read(
    service: { name: string; url: string },
    authorization: string | undefined,
  ): Promise<{
    subscribers: WebhookSubscriberStatus[];
    unavailable?: { service: string; httpStatus: number | null };
  }> {
    let response: Response;
    try {
      response = await fetch(`${service.url}/webhooks/status`, {
        headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      return { subscribers: [], unavailable: { service: service.name, httpStatus: null } };
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return { subscribers: [] };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || !Array.isArray(body)) {
      return { subscribers: [], unavailable: { service: service.name, httpStatus: response.status } };
    }
    return { subscribers: body.map((row) => this.toStatus(service.name, row as Record<string, unknown>)) };
  }

  /** Field by field, so nothing the console did not ask for passes through. */
  private toStatus(service: string, row: Record<string, unknown>): WebhookSubscriberStatus {
    const rate = row.rateLimit as Record<string, unknown> | null | undefined;
    return {
      service,
      subscriberId: text(row.subscriberId, /^[a-z][a-z0-9-]{0,62}$/) ?? service,
      receiver: text(row.receiver, /^https?:\/\/[A-Za-z0-9.:[\]-]+$/),
      rateLimit:
        rate && typeof rate === 'object'
          ? { perSecond: count(rate.perSecond), burst: count(rate.burst) }
          : null,
      maxAttempts: typeof row.maxAttempts === 'number' ? count(row.maxAttempts) : null,
      delivered: count(row.delivered),
      pending: count(row.retrying),
      failed: count(row.deadLettered),
      lastAttemptAt: when(row.lastAttemptAt),
      lastSuccessAt: when(row.lastDeliveredAt),
      lastFailureAt: when(row.lastFailureAt),
      lastErrorCode: text(row.lastErrorCode, ERROR_CODE),
      backoffUntil: when(row.backoffUntil),
      currentBackoffMs: typeof row.currentBackoffMs === 'number' ? count(row.currentBackoffMs) : null,
      deadLetterGroup: service,
    };
  }
}
