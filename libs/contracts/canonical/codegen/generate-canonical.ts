/**
 * Generates the canonical TypeScript contracts from `schemas/`:
 *   schemas/avro/**.avsc   → src/generated/avro-types.ts, src/generated/avro-schemas.ts
 *   schemas/catalog.yaml   → src/generated/topic-catalog.ts
 *
 * Run by the Nx `codegen` target of `canonical` (`npx nx run canonical:codegen`), which build,
 * typecheck, lint and test depend on; the output is not committed (docs/decisions/0012-...).
 * Runs with Node's type stripping: `node libs/contracts/canonical/codegen/generate-canonical.ts`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { AvroSchemaSet, type JsonValue, type SchemaFile } from './avro-schema-set.ts';
import { compileCatalog, emitTopicCatalog } from './catalog-compiler.ts';
import { emitAvroSchemas, emitAvroTypes } from './typescript-emitter.ts';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const workspaceRoot = join(projectRoot, '..', '..', '..');
const schemasDir = join(workspaceRoot, 'schemas');
const outputDir = join(projectRoot, 'src', 'generated');

function listSchemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listSchemaFiles(path);
      return entry.name.endsWith('.avsc') ? [path] : [];
    })
    .sort();
}

function writeIfChanged(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  writeFileSync(path, content);
  return true;
}

function main(): void {
  const files: SchemaFile[] = listSchemaFiles(join(schemasDir, 'avro')).map((path) => ({
    path: relative(workspaceRoot, path),
    content: readFileSync(path, 'utf8'),
  }));
  const schemas = AvroSchemaSet.load(files);
  const catalog = compileCatalog(
    parseYaml(readFileSync(join(schemasDir, 'catalog.yaml'), 'utf8')) as JsonValue,
    schemas,
  );

  const outputs: Record<string, string> = {
    'avro-types.ts': emitAvroTypes(schemas),
    'avro-schemas.ts': emitAvroSchemas(schemas),
    'topic-catalog.ts': emitTopicCatalog(catalog, schemas),
  };
  mkdirSync(outputDir, { recursive: true });
  for (const stale of readdirSync(outputDir)) {
    if (!(stale in outputs)) rmSync(join(outputDir, stale), { force: true });
  }
  const changed = Object.entries(outputs).filter(([name, content]) =>
    writeIfChanged(join(outputDir, name), content),
  );
  process.stdout.write(
    `canonical codegen: ${files.length} schema files, ${schemas.types.size} named types, ${catalog.topics.length} topics, ` +
      `${catalog.groups.length} consumer groups → ${relative(workspaceRoot, outputDir)} (${changed.length} file(s) changed)\n`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
