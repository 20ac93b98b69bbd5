/**
 * Writes libs/contracts/schemas/*.json from the event classes (npm run schemas:generate).
 * Removes schema files that no longer correspond to an event, so the directory is exactly the
 * generator's output; the drift test checks the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ASYNCAPI_FILE } from './asyncapi-generator';
import { CATALOG_FILE, generateCatalogMarkdown } from './catalog-generator';
import { frozenCopy, publishedDir, unpublished } from './published-schemas';
import { generateSchemaFiles, SCHEMAS_DIR } from './schema-generator';

function main(): void {
  const files = generateSchemaFiles();
  fs.mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const existing of fs.readdirSync(SCHEMAS_DIR)) {
    if (/\.(json|yaml)$/.test(existing) && !files.has(existing)) {
      fs.rmSync(path.join(SCHEMAS_DIR, existing));
      console.log(`removed  ${existing}`);
    }
  }
  for (const [name, content] of files) {
    const target = path.join(SCHEMAS_DIR, name);
    const old = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (old === content) continue;
    fs.writeFileSync(target, content);
    console.log(`${old === undefined ? 'created' : 'updated'}  ${name}`);
  }
  // Freeze first publications only; a published version is never rewritten here.
  const eventFiles = [...files.keys()].filter((f) => f.startsWith('samverkan.') && f.endsWith('.json'));
  fs.mkdirSync(publishedDir(SCHEMAS_DIR), { recursive: true });
  for (const name of unpublished(SCHEMAS_DIR, eventFiles)) {
    fs.writeFileSync(path.join(publishedDir(SCHEMAS_DIR), name), frozenCopy(files.get(name)!));
    console.log(`published  ${name}`);
  }
  // The human-readable catalog, from the AsyncAPI document just written.
  const catalog = generateCatalogMarkdown(files.get(ASYNCAPI_FILE)!);
  fs.mkdirSync(path.dirname(CATALOG_FILE), { recursive: true });
  if (!fs.existsSync(CATALOG_FILE) || fs.readFileSync(CATALOG_FILE, 'utf8') !== catalog) {
    fs.writeFileSync(CATALOG_FILE, catalog);
    console.log(`wrote  ${path.relative(process.cwd(), CATALOG_FILE)}`);
  }
  console.log(`${files.size} schemas in ${path.relative(process.cwd(), SCHEMAS_DIR)}`);
}

try {
  main();
} catch (err: unknown) {
  console.error(err);
  process.exitCode = 1;
}
