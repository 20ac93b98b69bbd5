export enum WebhookErrorCode {
  URL_INVALID = 'WEBHOOK_URL_INVALID',
  SECRET_INVALID = 'WEBHOOK_SECRET_INVALID',
  /** The receiver answered 5xx, 408 or 429: try again later. */
  DELIVERY_RETRYABLE = 'WEBHOOK_DELIVERY_RETRYABLE',
  /** The receiver refused the event (4xx other than 408/429): retrying will not help. */
  DELIVERY_REJECTED = 'WEBHOOK_DELIVERY_REJECTED',
  /** No answer within the delivery timeout: try again later. */
  TIMEOUT = 'WEBHOOK_TIMEOUT',
  /** No connection (DNS, refused, reset): try again later. */
  UNREACHABLE = 'WEBHOOK_UNREACHABLE',
  /**
   * Connected, but the receiver's certificate is not trusted for its host (unknown CA: see
   * WEBHOOK_CA_FILE; wrong host name; expired). Retried like UNREACHABLE: certificates get fixed.
   */
  TLS = 'WEBHOOK_TLS',
}

/** Names the subscriber and the status, never the event's data or the secret. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.code !== WebhookErrorCode.DELIVERY_REJECTED && this.code !== WebhookErrorCode.URL_INVALID;
  }
  /**
   * What the console shows as the last error: `HTTP_<status>` when the receiver answered, the code
   * otherwise. Carries no payload, URL or secret.
   */
  get statusCode(): string {
    return this.status !== undefined ? `HTTP_${this.status}` : this.code;
  }
}
