import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, type AsyncAPIDocumentInterface, type Diagnostic } from '@asyncapi/parser';
import { EVENT_TYPES, topology } from '@samverkan/contracts';
import { ASYNCAPI_FILE } from './asyncapi-generator';
import { CATALOG_FILE, catalogFromDisk } from './catalog-generator';
import { SCHEMAS_DIR } from './schema-generator';

jest.setTimeout(120_000);

// The checked-in AsyncAPI document, parsed and validated by the AsyncAPI initiative's own parser
// (spec schema and its ruleset), with its $refs to the JSON Schema files resolved.
describe('AsyncAPI catalog', () => {
  let document: AsyncAPIDocumentInterface | undefined;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const file = path.join(SCHEMAS_DIR, ASYNCAPI_FILE);
    ({ document, diagnostics } = await new Parser().parse(fs.readFileSync(file, 'utf8'), { source: file }));
  });

  it('is a valid AsyncAPI 3.0 document (no error diagnostics)', () => {
    const errors = diagnostics
      // Severity 0 is "error" (stoplight's DiagnosticSeverity; the parser re-exports a second copy of the enum).
      .filter((d) => Number(d.severity) === 0)
      .map((d) => `${d.path.join('/')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toMatch(/^3\.0\./);
  });

  it('has a channel per source and audience topic of the topology, addressed by the topic name', () => {
    const addresses = document!
      .channels()
      .all()
      .map((c) => c.address());
    const expected = topology.topics.filter((t) => t.kind !== 'dlq').map((t) => t.name);
    expect([...addresses].sort()).toEqual([...expected].sort());
  });

  it('has a message per event type with its JSON Schema payload and the CloudEvents headers', () => {
    const messages = new Map(
      document!
        .messages()
        .all()
        .map((m) => [m.id(), m]),
    );
    for (const type of EVENT_TYPES) {
      const message = messages.get(type);
      expect({ type, found: message !== undefined }).toEqual({ type, found: true });
      expect(message!.payload()?.type()).toBe('object');
      const headers = Object.keys(message!.headers()?.properties() ?? {});
      expect(headers).toEqual(
        expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time']),
      );
    }
  });

  it('docs/events/catalog.md is what the document renders to (no drift)', () => {
    const onDisk = fs.existsSync(CATALOG_FILE) ? fs.readFileSync(CATALOG_FILE, 'utf8') : '';
    if (onDisk !== catalogFromDisk()) {
      throw new Error(
        'docs/events/catalog.md is out of date: run `npm run schemas:generate` and commit the result.',
      );
    }
    for (const type of EVENT_TYPES) expect(onDisk).toContain(`### ${type}\n`);
  });
});
