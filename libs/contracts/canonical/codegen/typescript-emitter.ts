import {
  type AvroSchemaSet,
  type JsonObject,
  type JsonValue,
  type NamedTypeDefinition,
} from './avro-schema-set.ts';

/**
 * Emits TypeScript from the schema set: one type per Avro named type (records as read-only
 * interfaces, enums as string unions plus a `<NAME>_VALUES` list) and one `<Record>Schema` constant
 * per root record holding its self-contained schema. Pure: returns file contents.
 */

export const GENERATED_HEADER =
  '// GENERATED from schemas/ by libs/contracts/canonical/codegen. Do not edit: change the schema and run\n' +
  '// `npx nx run canonical:codegen` (build, typecheck, lint and test run it first).\n';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsDoc(text: string | undefined, indent = ''): string {
  if (!text) return '';
  const lines = text.replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

function constantCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** Checks that short names are unique, since TypeScript has no namespaces here. */
export function checkShortNames(set: AvroSchemaSet): void {
  const seen = new Map<string, string>();
  for (const type of set.types.values()) {
    const other = seen.get(type.shortName);
    if (other)
      throw new Error(
        `Two Avro types share the name ${type.shortName} (${other}, ${type.fullName}); rename one`,
      );
    seen.set(type.shortName, type.fullName);
  }
}

class TypeMapper {
  private readonly set: AvroSchemaSet;

  constructor(set: AvroSchemaSet) {
    this.set = set;
  }

  map(node: JsonValue, namespace: string, where: string): string {
    if (typeof node === 'string') return this.mapName(node, namespace, where);
    if (Array.isArray(node)) {
      // `null` last reads naturally: `string | null`.
      const branches = node.map((branch) => this.map(branch, namespace, where));
      return [...branches.filter((b) => b !== 'null'), ...branches.filter((b) => b === 'null')].join(' | ');
    }
    if (!isObject(node)) throw new Error(`${where}: unexpected schema ${JSON.stringify(node)}`);
    const logical = node['logicalType'];
    if (typeof logical === 'string') return this.mapLogical(logical, String(node['type']), where);
    const type = node['type'];
    switch (type) {
      case 'record':
      case 'error':
      case 'enum':
      case 'fixed': {
        const name = String(node['name']);
        const ns = typeof node['namespace'] === 'string' ? node['namespace'] : namespace;
        return this.mapName(name.includes('.') ? name : `${ns}.${name}`, namespace, where);
      }
      case 'array': {
        const items = this.map(node['items'] ?? null, namespace, where);
        return items.includes(' | ') ? `readonly (${items})[]` : `readonly ${items}[]`;
      }
      case 'map':
        return `Readonly<Record<string, ${this.map(node['values'] ?? null, namespace, where)}>>`;
      default:
        if (typeof type === 'string' || Array.isArray(type) || isObject(type))
          return this.map(type, namespace, where);
        throw new Error(`${where}: unexpected schema ${JSON.stringify(node)}`);
    }
  }

  private mapName(name: string, namespace: string, where: string): string {
    switch (name) {
      case 'null':
        return 'null';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'bytes':
        return 'Buffer';
      case 'string':
        return 'string';
    }
    const fullName = name.includes('.') ? name : `${namespace}.${name}`;
    const target = this.set.types.get(fullName);
    if (!target) throw new Error(`${where}: unknown type ${fullName}`);
    return target.kind === 'fixed' ? 'Buffer' : target.shortName;
  }

  private mapLogical(logical: string, underlying: string, where: string): string {
    switch (logical) {
      case 'timestamp-millis':
        if (underlying !== 'long') break;
        return 'Date';
      case 'date':
        if (underlying !== 'int') break;
        return 'IsoDate';
      case 'decimal':
        if (underlying !== 'bytes') break;
        return 'DecimalString';
      case 'uuid':
        if (underlying !== 'string') break;
        return 'string';
    }
    throw new Error(
      `${where}: logical type ${logical} on ${underlying} is not supported (use timestamp-millis, date, decimal or uuid)`,
    );
  }
}

function emitDefinition(definition: NamedTypeDefinition, mapper: TypeMapper): string {
  const { node } = definition;
  const doc = typeof node['doc'] === 'string' ? node['doc'] : undefined;
  if (definition.kind === 'enum') {
    const symbols = (node['symbols'] as string[]).map((s) => `'${s}'`);
    const constant = `${constantCase(definition.shortName)}_VALUES`;
    return (
      `${jsDoc(`${doc ?? ''}\n\nAvro enum \`${definition.fullName}\`.`)}export type ${definition.shortName} = ${symbols.join(' | ')};\n` +
      `/** The symbols of {@link ${definition.shortName}}, in schema order. */\n` +
      `export const ${constant}: readonly ${definition.shortName}[] = [${symbols.join(', ')}];\n`
    );
  }
  if (definition.kind === 'fixed') {
    return `${jsDoc(`${doc ?? ''}\n\nAvro fixed \`${definition.fullName}\` (${String(node['size'])} bytes).`)}export type ${definition.shortName} = Buffer;\n`;
  }
  const fields = (node['fields'] as JsonObject[]).map((field) => {
    const name = String(field['name']);
    const type = mapper.map(field['type'] ?? null, definition.namespace, `${definition.fullName}.${name}`);
    const fieldDoc = typeof field['doc'] === 'string' ? field['doc'] : undefined;
    const fieldDefault = field['default'];
    const defaultNote =
      fieldDefault !== undefined && fieldDefault !== null
        ? `\n\nDefault in the schema: \`${JSON.stringify(fieldDefault)}\`.`
        : '';
    return `${jsDoc(`${fieldDoc ?? ''}${defaultNote}`, '  ')}  readonly ${name}: ${type};`;
  });
  return `${jsDoc(`${doc ?? ''}\n\nAvro record \`${definition.fullName}\`.`)}export interface ${definition.shortName} {\n${fields.join('\n')}\n}\n`;
}

/** `avro-types.ts`: every named type as TypeScript. */
export function emitAvroTypes(set: AvroSchemaSet): string {
  checkShortNames(set);
  const mapper = new TypeMapper(set);
  const parts = [...set.types.values()]
    .sort((a, b) => a.fullName.localeCompare(b.fullName))
    .map((definition) => emitDefinition(definition, mapper));
  return (
    GENERATED_HEADER +
    "import type { DecimalString, IsoDate } from '../avro/avro-logical-types.js';\n\n" +
    "export type { DecimalString, IsoDate } from '../avro/avro-logical-types.js';\n\n" +
    parts.join('\n')
  );
}

export function schemaConstantName(definition: NamedTypeDefinition): string {
  return `${definition.shortName}Schema`;
}

/** `avro-schemas.ts`: a `<Record>Schema` constant per root record with its self-contained schema. */
export function emitAvroSchemas(set: AvroSchemaSet): string {
  const records = set.rootRecords().sort((a, b) => a.fullName.localeCompare(b.fullName));
  const constants = records.map((definition) => {
    const json = JSON.stringify(JSON.stringify(set.expand(definition.fullName)));
    return (
      `/** Self-contained Avro schema of {@link T.${definition.shortName}} (\`${definition.fullName}\`), as registered. */\n` +
      `export const ${schemaConstantName(definition)}: AvroRecordSchema<T.${definition.shortName}> = avroRecordSchema(\n  ${json},\n);\n`
    );
  });
  const all = records.map((d) => `  ${schemaConstantName(d)},`).join('\n');
  return (
    GENERATED_HEADER +
    "import { avroRecordSchema, type AvroRecordSchema } from '../catalog/topic-catalog.types.js';\n" +
    "import type * as T from './avro-types.js';\n\n" +
    constants.join('\n') +
    `\n/** Every root record schema of schemas/avro. */\nexport const AVRO_RECORD_SCHEMAS: readonly AvroRecordSchema<unknown>[] = [\n${all}\n];\n`
  );
}
