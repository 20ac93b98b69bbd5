import { WebhookError, WebhookErrorCode } from '../errors';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Production receivers must be https; plain http only to this machine (development, tests). */
export function validateWebhookUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WebhookError(WebhookErrorCode.URL_INVALID, 'the webhook URL is not a URL');
  }
  if (url.username || url.password) {
    throw new WebhookError(WebhookErrorCode.URL_INVALID, 'the webhook URL must not carry credentials');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return url;
  throw new WebhookError(
    WebhookErrorCode.URL_INVALID,
    `the webhook URL must use https (got ${url.protocol})`,
  );
}
