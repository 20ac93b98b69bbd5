import type { CloudEvent } from '@samverkan/contracts';

/**
 * CloudEvents 1.0 HTTP protocol binding, binary content mode: every attribute and extension as a
 * `ce-<name>` header, `content-type` from datacontenttype, the body is the data.
 */
export function toBinaryHttp(event: CloudEvent): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'ce-specversion': event.specversion,
    'ce-id': event.id,
    'ce-source': event.source,
    'ce-type': event.type,
    'content-type': event.datacontenttype ?? 'application/json',
  };
  const optional: Record<string, string | undefined> = {
    'ce-time': event.time,
    'ce-subject': event.subject,
    'ce-dataschema': event.dataschema,
    'ce-municipality': event.municipality,
    'ce-legalbasis': event.legalbasis,
    traceparent: event.traceparent,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) headers[name] = value;
  return { headers, body: JSON.stringify(event.data) };
}
