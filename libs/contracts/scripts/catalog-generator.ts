/**
 * docs/events/catalog.md: the AsyncAPI document rendered for people (channels, who sends and
 * receives, each message's headers and payload fields with their rules and personal-data marks).
 * Built from the checked-in asyncapi.yaml and the schema files it references, so it says exactly
 * what the machine-readable catalog says; `npm run schemas:generate` writes it, a test checks drift.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ASYNCAPI_FILE } from './asyncapi-generator';
import { SCHEMAS_DIR } from './schema-generator';

type Json = Record<string, unknown>;

export const CATALOG_FILE = path.resolve(__dirname, '..', '..', '..', 'docs', 'events', 'catalog.md');

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Scalars as text; anything else (a mistaken object) as nothing rather than [object Object]. */
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function pointer(doc: unknown, fragment: string): unknown {
  let node = doc;
  for (const raw of fragment.replace(/^\//, '').split('/').filter(Boolean)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[part] : undefined;
  }
  return node;
}

/** Resolves a $ref against the AsyncAPI document or a schema file next to it; returns the target and its document. */
function deref(node: Json, doc: Json, schemasDir: string): { node: Json; doc: Json } {
  let current = node;
  let currentDoc = doc;
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i += 1) {
    const [file, fragment = ''] = current.$ref.split('#');
    if (file) currentDoc = JSON.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8')) as Json;
    const target = pointer(currentDoc, fragment);
    if (!isObject(target)) break;
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return { node: current, doc: currentDoc };
}

function rulesOf(s: Json): string {
  const rules: string[] = [];
  if (Array.isArray(s.enum)) rules.push(`one of ${s.enum.map((v) => `\`${str(v)}\``).join(', ')}`);
  if (s.const !== undefined) rules.push(`= \`${JSON.stringify(s.const)}\``);
  for (const key of [
    'format',
    'pattern',
    'minimum',
    'maximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
  ]) {
    if (s[key] !== undefined) rules.push(`${key} \`${str(s[key])}\``);
  }
  return rules.join('; ');
}

function typeOf(s: Json): string {
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) return 'one of several shapes';
  return 'any';
}

function fieldRows(
  schema: Json,
  doc: Json,
  schemasDir: string,
  prefix: string,
  required: boolean,
  rows: string[],
  depth: number,
): void {
  const { node, doc: inDoc } = deref(schema, doc, schemasDir);
  if (prefix) {
    const personal = typeof node['x-personal-data'] === 'string' ? node['x-personal-data'] : '';
    rows.push(
      `| \`${prefix}\` | ${cell(typeOf(node))} | ${required ? 'yes' : ''} | ${cell(rulesOf(node))} | ${personal} |`,
    );
  }
  if (depth > 6) return;
  const props = isObject(node.properties) ? node.properties : {};
  const req = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const [name, sub] of Object.entries(props)) {
    if (isObject(sub))
      fieldRows(sub, inDoc, schemasDir, prefix ? `${prefix}.${name}` : name, req.has(name), rows, depth + 1);
  }
  if (isObject(node.items)) fieldRows(node.items, inDoc, schemasDir, `${prefix}[]`, false, rows, depth + 1);
  for (const key of ['oneOf', 'anyOf']) {
    if (Array.isArray(node[key])) {
      (node[key] as Json[]).forEach((alt, i) =>
        fieldRows(alt, inDoc, schemasDir, `${prefix}<${key} ${i + 1}>`, false, rows, depth + 1),
      );
    }
  }
}

export function generateCatalogMarkdown(asyncApiText: string, schemasDir = SCHEMAS_DIR): string {
  const doc = parse(asyncApiText) as Json;
  const info = (doc.info ?? {}) as Json;
  const channels = (doc.channels ?? {}) as Record<string, Json>;
  const operations = (doc.operations ?? {}) as Record<string, Json>;
  const messages = (((doc.components ?? {}) as Json).messages ?? {}) as Record<string, Json>;
  const out: string[] = [];
  out.push(`# Event catalog — ${str(info.title)} ${str(info.version)}`);
  out.push('');
  out.push(
    `Generated from \`libs/contracts/schemas/${ASYNCAPI_FILE}\` (AsyncAPI ${str(doc.asyncapi)}) by ` +
      '`npm run schemas:generate`; do not edit. Every message is a CloudEvents 1.0 event in Kafka binary mode: ' +
      'the headers below carry the attributes, the value is the JSON payload.',
  );
  out.push('');
  out.push('## Channels');
  out.push('');
  out.push('| channel | topic | partitions | retention | messages | senders → receivers |');
  out.push('|---|---|---|---|---|---|');
  const channelMessages = new Map<string, string[]>();
  for (const [id, channel] of Object.entries(channels)) {
    const kafka = ((channel.bindings as Json | undefined)?.kafka ?? {}) as Json;
    const retention = ((kafka.topicConfiguration ?? {}) as Json)['retention.ms'] as number | undefined;
    const names = Object.keys(channel.messages ?? {});
    channelMessages.set(id, names);
    const ops = Object.entries(operations).filter(
      ([, op]) => ((op.channel ?? {}) as Json).$ref === `#/channels/${id}`,
    );
    const who = (action: string) =>
      ops
        .filter(([, op]) => op.action === action)
        .map(([opId]) => opId.split('.')[0])
        .join(', ') || '—';
    out.push(
      `| ${id} | \`${str(channel.address)}\` | ${str(kafka.partitions)} | ${
        retention === undefined
          ? ''
          : retention < 0
            ? 'forever'
            : `${Math.round(retention / 86_400_000)} days`
      } | ${names.length} | ${who('send')} → ${who('receive')} |`,
    );
  }
  out.push('');
  for (const [id, channel] of Object.entries(channels)) {
    out.push(`### ${id}`);
    out.push('');
    if (channel.description) out.push(`${str(channel.description)}`);
    out.push('');
    for (const name of channelMessages.get(id) ?? []) out.push(`- [${name}](#${name.replace(/\./g, '')})`);
    out.push('');
  }
  out.push('## Messages');
  out.push('');
  for (const [name, message] of Object.entries(messages)) {
    out.push(`### ${name}`);
    out.push('');
    if (message.summary) out.push(`${str(message.summary)}.`);
    if (message.description) out.push(`${str(message.description)}`);
    const key = ((((message.bindings ?? {}) as Json).kafka ?? {}) as Json).key as Json | undefined;
    if (key?.description) out.push(`Kafka key: ${str(key.description)}.`);
    const carriers = [...channelMessages.entries()]
      .filter(([, names]) => names.includes(name))
      .map(([c]) => c);
    out.push(
      `On: ${carriers.join(', ') || '—'}. Content type: \`${str(message.contentType ?? doc.defaultContentType)}\`.`,
    );
    out.push('');
    if (isObject(message.headers)) {
      const { node: headers } = deref(message.headers, doc, schemasDir);
      const required = new Set(Array.isArray(headers.required) ? (headers.required as string[]) : []);
      const names = Object.keys(isObject(headers.properties) ? headers.properties : {});
      out.push(`Headers: ${names.map((h) => `\`${h}\`${required.has(h) ? '' : ' (optional)'}`).join(', ')}.`);
      out.push('');
    }
    if (isObject(message.payload)) {
      const rows: string[] = [];
      fieldRows(message.payload, doc, schemasDir, '', true, rows, 0);
      out.push('| field | type | required | rules | personal data |');
      out.push('|---|---|---|---|---|');
      out.push(...rows);
      out.push('');
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export function catalogFromDisk(): string {
  return generateCatalogMarkdown(fs.readFileSync(path.join(SCHEMAS_DIR, ASYNCAPI_FILE), 'utf8'));
}
