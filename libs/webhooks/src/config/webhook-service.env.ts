import { BaseServiceEnv, ToInt } from '@samverkan/config';
import { IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { validateWebhookUrl } from '../subscribers/webhook-url';

const IsWebhookUrl = () =>
  ValidateBy({
    name: 'isWebhookUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          validateWebhookUrl(value);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must be an https:// URL without credentials (http:// only to localhost)',
    },
  });

const between = (min: number, max: number, unit: string) => {
  const message = `must be an integer from ${min} to ${max}${unit}`;
  return [IsInt({ message }), Min(min, { message }), Max(max, { message })];
};
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

/**
 * Environment of an app that delivers its audience to a webhook (`npm run new:consumer -- <name>
 * --webhook`). The secret comes from WEBHOOK_SECRET_FILE (a mounted secret; preferred) or
 * WEBHOOK_SECRET, exactly one (webhookDeliveryFromEnv checks); WEBHOOK_CA_FILE optionally adds trusted
 * CAs for the receiver's certificate. Messages name the rule, never a value.
 */
export class WebhookServiceEnv extends BaseServiceEnv {
  /** The subscriber's receiver. */
  @IsWebhookUrl()
  WEBHOOK_URL: string;

  @IsOptional()
  @IsString({ message: 'must be the path of the signing secret file' })
  WEBHOOK_SECRET_FILE?: string;

  /** Standard Webhooks secret, `whsec_` + base64 of at least 24 bytes. */
  @IsOptional()
  @IsString({ message: 'must be the signing secret (prefer WEBHOOK_SECRET_FILE)' })
  WEBHOOK_SECRET?: string;

  /**
   * PEM bundle of CA certificates trusted for the receiver in addition to Node's root store (a
   * municipal receiver behind an internal CA). Read and checked at boot by webhookDeliveryFromEnv.
   */
  @IsOptional()
  @IsString({ message: 'must be the path of a PEM file of CA certificates' })
  WEBHOOK_CA_FILE?: string;

  /** The subscriber's rate limit: sustained requests per second ... */
  @ToInt()
  @apply(...between(1, 1000, ' requests per second'))
  WEBHOOK_RATE_LIMIT_PER_SECOND: number = 10;

  /** ... and how many may go at once after a quiet spell. */
  @ToInt()
  @apply(...between(1, 1000, ' requests'))
  WEBHOOK_RATE_LIMIT_BURST: number = 10;

  /** Attempts per event, the first included; after the last the event goes to samverkan.dlq.<name>. */
  @ToInt()
  @apply(...between(1, 50, ' attempts'))
  WEBHOOK_MAX_ATTEMPTS: number = 8;

  /** Backoff: full jitter below min(cap, base * 2^(attempt-1)). */
  @ToInt()
  @apply(...between(0, 600_000, ' ms'))
  WEBHOOK_RETRY_BASE_MS: number = 1_000;

  @ToInt()
  @apply(...between(0, 600_000, ' ms'))
  WEBHOOK_RETRY_CAP_MS: number = 60_000;

  /** Per request; well below the consumer group's session timeout (30 s), which a handler must not outlast. */
  @ToInt()
  @apply(...between(100, 20_000, ' ms'))
  WEBHOOK_TIMEOUT_MS: number = 10_000;
}
