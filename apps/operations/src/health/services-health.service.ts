import { Inject, Injectable } from '@nestjs/common';
import { OPERATIONS_ENV } from '../common/operations.tokens';
import type { OperationsEnv } from '../config/operations.env';
import { parseServiceUrls } from './service-urls';

export type ServiceState = 'up' | 'down' | 'unreachable';

export interface ServiceHealth {
  name: string;
  url: string;
  status: ServiceState;
  httpStatus: number | null;
  /** Unpublished outbox rows the service reports in its /health (null: no outbox or not reported). */
  outboxBacklog: number | null;
  checks: Record<string, string>;
}

const TIMEOUT_MS = 3_000;
/** Several console tabs and a Prometheus scrape within this window share one round of requests. */
const CACHE_MS = 2_000;

interface TerminusBody {
  status?: string;
  details?: Record<string, { status?: string; backlog?: unknown }>;
}

/** Calls every app's GET /health (terminus) and reads database, Kafka and outbox backlog from it. */
@Injectable()
export class ServicesHealthService {
  private readonly services: Array<{ name: string; url: string }>;
  private cached: { at: number; result: Promise<{ checkedAt: string; services: ServiceHealth[] }> } | undefined;

  constructor(@Inject(OPERATIONS_ENV) env: OperationsEnv) {
    this.services = parseServiceUrls(env.OPERATIONS_SERVICE_URLS);
  }

  checkAll(): Promise<{ checkedAt: string; services: ServiceHealth[] }> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.result;
    const result = (async () => ({
      checkedAt: new Date().toISOString(),
      services: await Promise.all(this.services.map((s) => this.check(s.name, s.url))),
    }))();
    this.cached = { at: Date.now(), result };
    return result;
  }

  private async check(name: string, url: string): Promise<ServiceHealth> {
    const base: ServiceHealth = { name, url, status: 'unreachable', httpStatus: null, outboxBacklog: null, checks: {} };
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = (await response.json().catch(() => ({}))) as TerminusBody;
      const checks: Record<string, string> = {};
      for (const [key, value] of Object.entries(body.details ?? {})) checks[key] = value?.status ?? 'unknown';
      const backlog = body.details?.outbox?.backlog;
      return {
        ...base,
        status: response.ok && body.status === 'ok' ? 'up' : 'down',
        httpStatus: response.status,
        outboxBacklog: typeof backlog === 'number' ? backlog : null,
        checks,
      };
    } catch {
      return base;
    }
  }
}
