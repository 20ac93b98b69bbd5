/**
 * The AsyncAPI 3.0 document of the hub, generated from the topology, the event classes' schemas
 * and the sharing policy: which service sends what to which topic, and in what shape each
 * audience receives it (full, minimized or pseudonymized).
 */
import { stringify } from 'yaml';
import { canonicalKeyOrder } from './canonical-key-order';
import {
  AUDIENCES,
  Audience,
  CE_HEADERS,
  EVENT_CLASSES,
  EVENT_TYPES,
  EventType,
  JSON_CONTENT_TYPE,
  PRODUCER_SERVICES,
  PRODUCERS_OF,
  SHARING_POLICY,
  topology,
  TopicSpec,
} from '@samverkan/contracts';

type Json = Record<string, unknown>;
export const ASYNCAPI_FILE = 'asyncapi.yaml';
const ENVELOPE_REF = './envelope-headers.json';

const sourceChannel = (service: string) => `source-${service}`;
const audienceChannel = (audience: string) => `audience-${audience}`;

function kafkaBinding(topic: TopicSpec | undefined): Json | undefined {
  if (!topic) return undefined;
  return {
    kafka: {
      topic: topic.name,
      partitions: topic.partitions,
      topicConfiguration: {
        'cleanup.policy': [topic.cleanupPolicy],
        'retention.ms': topic.retentionMs,
      },
      bindingVersion: '0.5.0',
    },
  };
}

const messageBindings = {
  kafka: { key: { type: 'string', description: 'the subject (child)' }, bindingVersion: '0.5.0' },
};

/** Removes properties marked x-personal-data from a schema and its $defs (what reporting receives). */
function stripPersonalData(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripPersonalData);
  if (node === null || typeof node !== 'object') return node;
  const obj = { ...(node as Json) };
  if (obj.properties && typeof obj.properties === 'object') {
    const props = obj.properties as Record<string, Json>;
    const removed = Object.keys(props).filter((k) => props[k]['x-personal-data'] !== undefined);
    obj.properties = Object.fromEntries(Object.entries(props).filter(([k]) => !removed.includes(k)));
    if (Array.isArray(obj.required))
      obj.required = (obj.required as string[]).filter((k) => !removed.includes(k));
    // The cross-field "personnummer or alias" rule cannot hold once both are gone.
    if (Array.isArray(obj.anyOf)) delete obj.anyOf;
  }
  for (const [k, v] of Object.entries(obj)) if (k !== 'examples') obj[k] = stripPersonalData(v);
  delete obj.examples;
  return obj;
}

function minimized(schema: Json, fields: readonly string[]): Json {
  const props = schema.properties as Record<string, Json>;
  const top = fields.map((f) => f.split('.')[0]);
  return {
    type: 'object',
    properties: Object.fromEntries(top.map((f) => [f, props[f]])),
    required: top,
    additionalProperties: false,
  };
}

export function generateAsyncApi(schemas: ReadonlyMap<string, Json>): string {
  const topics = new Map(topology.topics.map((t) => [t.name, t]));
  const messages: Record<string, Json> = {};
  const componentSchemas: Record<string, Json> = {};

  /** Moves a derived payload's $defs into components.schemas, so its refs resolve in this document. */
  const hoistDefs = (name: string, payload: Json): Json => {
    const defs = (payload.$defs ?? {}) as Record<string, Json>;
    delete payload.$defs;
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node as Json).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? `#/components/schemas/${name}.${v.slice('#/$defs/'.length)}`
            : rewrite(v),
        ]),
      );
    };
    for (const [def, schema] of Object.entries(defs))
      componentSchemas[`${name}.${def}`] = rewrite(schema) as Json;
    return rewrite(payload) as Json;
  };
  const channels: Record<string, Json> = {};
  const operations: Record<string, Json> = {};

  const message = (name: string, type: EventType, payload: Json, summary: string): Json => ({
    name,
    title: type,
    summary,
    contentType: JSON_CONTENT_TYPE,
    headers: { $ref: ENVELOPE_REF },
    payload,
    correlationId: { location: `$message.header#/${CE_HEADERS.id}` },
    bindings: messageBindings,
  });

  for (const type of EVENT_TYPES) {
    messages[type] = message(
      type,
      type,
      { $ref: `./${type}.json` },
      `${EVENT_CLASSES[type].name}, as produced`,
    );
  }

  for (const service of PRODUCER_SERVICES) {
    const types = EVENT_TYPES.filter((t) => PRODUCERS_OF[t].includes(service));
    const address = `samverkan.source.${service}`;
    channels[sourceChannel(service)] = {
      address,
      description: `Events raised by ${service}, published from its outbox. Read only by the router.`,
      messages: Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }])),
      bindings: kafkaBinding(topics.get(address)),
    };
    const refs = types.map((t) => ({ $ref: `#/channels/${sourceChannel(service)}/messages/${t}` }));
    operations[`${service}.publish`] = {
      action: 'send',
      channel: { $ref: `#/channels/${sourceChannel(service)}` },
      messages: refs,
    };
    operations[`router.consume-${service}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${sourceChannel(service)}` },
      messages: refs,
    };
  }

  for (const audience of AUDIENCES as readonly Audience[]) {
    const address = `samverkan.audience.${audience}`;
    const channelMessages: Record<string, Json> = {};
    for (const type of EVENT_TYPES) {
      const rule = SHARING_POLICY[type][audience];
      if (rule.outcome === 'withheld') continue;
      if (rule.outcome === 'full') {
        channelMessages[type] = { $ref: `#/components/messages/${type}` };
        continue;
      }
      const source = schemas.get(`${type}.json`)!;
      const name = `${type}.${rule.outcome}`;
      const payload =
        rule.outcome === 'minimized'
          ? minimized(source, rule.minimizedFields)
          : (stripPersonalData({ ...source, $id: undefined, $schema: undefined }) as Json);
      delete payload.$id;
      delete payload.$schema;
      payload.title = name;
      payload.description = `Data of ${type} as the ${audience} audience receives it (${rule.outcome}).`;
      messages[name] = message(
        name,
        type,
        hoistDefs(name, payload),
        `${type}, ${rule.outcome} by the router (${rule.legalBasis})`,
      );
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
    }
    channels[audienceChannel(audience)] = {
      address,
      description: `What the sharing policy lets ${audience} receive; every message carries ${CE_HEADERS.legalbasis}.`,
      messages: channelMessages,
      bindings: kafkaBinding(topics.get(address)),
    };
    const refs = Object.keys(channelMessages).map((m) => ({
      $ref: `#/channels/${audienceChannel(audience)}/messages/${m}`,
    }));
    operations[`router.deliver-${audience}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${audienceChannel(audience)}` },
      messages: refs,
    };
    operations[`${audience}.consume`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${audienceChannel(audience)}` },
      messages: refs,
    };
  }

  const doc = {
    asyncapi: '3.0.0',
    info: {
      title: 'Samverkan hub',
      version: '1.0.0',
      description:
        'Event contracts of the Samverkan hub: CloudEvents 1.0 in Kafka binary mode. Generated by npm run schemas:generate; do not edit.',
    },
    defaultContentType: JSON_CONTENT_TYPE,
    servers: {
      local: {
        host: '127.0.0.1:19092',
        protocol: 'kafka',
        description: 'The local stack (npm run stack)',
        security: [{ $ref: '#/components/securitySchemes/scram' }],
      },
    },
    channels,
    operations,
    components: {
      schemas: componentSchemas,
      messages,
      securitySchemes: {
        scram: {
          type: 'scramSha256',
          description: 'One SCRAM principal per service, ACLs from the topology',
        },
      },
    },
  };
  return stringify(canonicalKeyOrder(JSON.parse(JSON.stringify(doc))), {
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}
