/**
 * CloudEvents 1.0 in Kafka binary mode: attributes travel as `ce_*` headers, the value is the JSON
 * `data`. This is the one shape every topic of the hub carries.
 */
export const CE_SPEC_VERSION = '1.0';

export interface CloudEvent<TType extends string = string, TData = unknown> {
  specversion: typeof CE_SPEC_VERSION;
  /** Unique per event (UUID). Consumers' inboxes deduplicate on it. */
  id: string;
  /** URI-reference of the producer, e.g. `/samverkan/education`. */
  source: string;
  /** `samverkan.<aggregate>.<event>.v<major>` */
  type: TType;
  /** RFC 3339 timestamp. */
  time: string;
  /**
   * The child the event is about: on source topics an opaque subject id chosen by the producer,
   * on the reporting audience a keyed pseudonym. Also the Kafka message key, so one child's events
   * stay in order.
   */
  subject: string;
  datacontenttype: 'application/json';
  /** URI of the JSON Schema of `data`. */
  dataschema: string;
  /** Extension: SCB municipality code, four digits (0781 = Ljungby). */
  municipality: string;
  /** Extension, audience topics only: the legal basis the router delivered the event under. */
  legalbasis?: string;
  /** W3C trace context. */
  traceparent?: string;
  data: TData;
}
