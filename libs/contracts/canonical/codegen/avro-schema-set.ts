import avro from 'avsc';
import { AVRO_TYPE_OPTIONS } from '../src/avro/avro-logical-types.ts';

/**
 * The project's Avro schemas (`schemas/avro/**.avsc`), checked and made self-contained.
 * Pure: takes file contents, returns data; the runner does the reading and writing.
 *
 * Rules enforced on every schema, so the registry only ever sees documented, unambiguous contracts:
 * - every named type lives in the `pardotx3.` namespace and is defined once across all files;
 * - every record, enum and fixed type, and every record field, has a `doc`;
 * - a file may refer to a type of another file by its full name; the expanded (registered) schema
 *   defines each named type inline at its first use and refers to it by full name afterwards;
 * - unions must be told apart without wrapping (avsc `wrapUnions: 'never'`), and defaults must match.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SchemaFile {
  /** Path shown in errors, e.g. schemas/avro/customer/CustomerObservation.avsc. */
  readonly path: string;
  readonly content: string;
}

export interface NamedTypeDefinition {
  readonly fullName: string;
  readonly shortName: string;
  readonly namespace: string;
  readonly kind: 'record' | 'enum' | 'fixed';
  /** The definition as written (nested named types still inline or referenced as in the file). */
  readonly node: JsonObject;
  /** The file that defines it. */
  readonly file: string;
  /** True for the root type of its file. */
  readonly root: boolean;
}

export class SchemaSetError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `The Avro schemas are not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SchemaSetError';
    this.problems = problems;
  }
}

export const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const ROOT_NAMESPACE = 'pardotx3.';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function qualify(name: string, namespace: string): string {
  return name.includes('.') ? name : namespace ? `${namespace}.${name}` : name;
}

function splitName(fullName: string): { namespace: string; shortName: string } {
  const dot = fullName.lastIndexOf('.');
  return { namespace: fullName.slice(0, dot), shortName: fullName.slice(dot + 1) };
}

export class AvroSchemaSet {
  /** Every named type by full name, in the order files and definitions were read. */
  readonly types: ReadonlyMap<string, NamedTypeDefinition>;
  private readonly expandedCache = new Map<string, JsonObject>();

  private constructor(types: Map<string, NamedTypeDefinition>) {
    this.types = types;
  }

  /** Parses and checks every file; throws {@link SchemaSetError} listing every problem. */
  static load(files: readonly SchemaFile[]): AvroSchemaSet {
    const problems: string[] = [];
    const types = new Map<string, NamedTypeDefinition>();

    const collect = (
      node: JsonValue,
      namespace: string,
      file: string,
      root: boolean,
      where: string,
    ): void => {
      if (Array.isArray(node)) {
        node.forEach((branch, i) => collect(branch, namespace, file, false, `${where}[${i}]`));
        return;
      }
      if (!isObject(node)) return;
      const type = node['type'];
      if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
        const name = node['name'];
        if (typeof name !== 'string' || !name) {
          problems.push(`${file}: ${where}: a ${String(type)} needs a name`);
          return;
        }
        const ownNamespace = typeof node['namespace'] === 'string' ? node['namespace'] : namespace;
        const fullName = qualify(name, ownNamespace);
        const { namespace: typeNamespace, shortName } = splitName(fullName);
        if (!fullName.startsWith(ROOT_NAMESPACE))
          problems.push(`${file}: ${fullName}: named types live in the "pardotx3." namespace`);
        if (typeof node['doc'] !== 'string' || !node['doc'].trim())
          problems.push(`${file}: ${fullName}: needs a "doc"`);
        const existing = types.get(fullName);
        if (existing) {
          problems.push(
            `${file}: ${fullName} is already defined in ${existing.file}; refer to it by its full name instead`,
          );
          return;
        }
        const kind = type === 'error' ? 'record' : type;
        types.set(fullName, { fullName, shortName, namespace: typeNamespace, kind, node, file, root });
        if (kind === 'record') {
          const fields = node['fields'];
          if (!Array.isArray(fields)) {
            problems.push(`${file}: ${fullName}: a record needs "fields"`);
            return;
          }
          for (const field of fields) {
            if (!isObject(field) || typeof field['name'] !== 'string') {
              problems.push(`${file}: ${fullName}: every field needs a name`);
              continue;
            }
            if (typeof field['doc'] !== 'string' || !field['doc'].trim())
              problems.push(`${file}: ${fullName}.${field['name']}: needs a "doc"`);
            collect(field['type'] ?? null, typeNamespace, file, false, `${fullName}.${field['name']}`);
          }
        }
        return;
      }
      if (type === 'array') collect(node['items'] ?? null, namespace, file, false, `${where}[]`);
      else if (type === 'map') collect(node['values'] ?? null, namespace, file, false, `${where}{}`);
      else if (isObject(type) || Array.isArray(type)) collect(type, namespace, file, false, where);
    };

    for (const file of files) {
      let json: JsonValue;
      try {
        json = JSON.parse(file.content) as JsonValue;
      } catch (error) {
        problems.push(`${file.path}: not valid JSON (${(error as Error).message})`);
        continue;
      }
      if (!isObject(json) || !['record', 'enum', 'fixed'].includes(String(json['type']))) {
        problems.push(`${file.path}: a schema file holds one named type (record, enum or fixed)`);
        continue;
      }
      collect(json, '', file.path, true, file.path);
    }
    if (problems.length > 0) throw new SchemaSetError(problems);

    const set = new AvroSchemaSet(types);
    // Every reference resolves, and every record parses on its own once expanded.
    for (const definition of types.values()) {
      if (definition.kind !== 'record' || !definition.root) continue;
      try {
        set.expand(definition.fullName);
        set.avroType(definition.fullName);
      } catch (error) {
        problems.push(`${definition.file}: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) throw new SchemaSetError(problems);
    return set;
  }

  get(fullName: string): NamedTypeDefinition {
    const definition = this.types.get(fullName);
    if (!definition) throw new Error(`unknown Avro type ${fullName}`);
    return definition;
  }

  /** Root records: one per file, the types that can be a topic's value. */
  rootRecords(): NamedTypeDefinition[] {
    return [...this.types.values()].filter((t) => t.root && t.kind === 'record');
  }

  /**
   * The self-contained schema of a record, as registered: named types defined inline at their first
   * use (with explicit name and namespace) and referenced by full name afterwards; docs, defaults and
   * logical types kept as written.
   */
  expand(fullName: string): JsonObject {
    const cached = this.expandedCache.get(fullName);
    if (cached) return cached;
    const defined = new Set<string>();
    const expandNode = (node: JsonValue, namespace: string): JsonValue => {
      if (typeof node === 'string') {
        if (PRIMITIVES.has(node)) return node;
        const reference = qualify(node, namespace);
        const target = this.types.get(reference);
        if (!target)
          throw new Error(
            `unknown type "${node}" (resolved as ${reference}): define it or use its full name`,
          );
        if (defined.has(reference)) return reference;
        return expandDefinition(target);
      }
      if (Array.isArray(node)) return node.map((branch) => expandNode(branch, namespace));
      if (!isObject(node)) return node;
      const type = node['type'];
      if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
        const name = qualify(
          String(node['name']),
          typeof node['namespace'] === 'string' ? node['namespace'] : namespace,
        );
        if (defined.has(name)) return name;
        return expandDefinition(this.get(name));
      }
      if (type === 'array') return { ...node, items: expandNode(node['items'] ?? null, namespace) };
      if (type === 'map') return { ...node, values: expandNode(node['values'] ?? null, namespace) };
      if (isObject(type) || Array.isArray(type)) return { ...node, type: expandNode(type, namespace) };
      return node;
    };
    const expandDefinition = (definition: NamedTypeDefinition): JsonObject => {
      defined.add(definition.fullName);
      const { type, name: _name, namespace: _namespace, doc, ...rest } = definition.node;
      const out: JsonObject = {
        type: type ?? null,
        name: definition.shortName,
        namespace: definition.namespace,
      };
      if (doc !== undefined) out['doc'] = doc;
      for (const [key, value] of Object.entries(rest)) {
        if (key === 'fields' && Array.isArray(value)) {
          out['fields'] = value.map((field) => {
            if (!isObject(field)) return field;
            return { ...field, type: expandNode(field['type'] ?? null, definition.namespace) };
          });
        } else {
          out[key] = value;
        }
      }
      return out;
    };
    const expanded = expandDefinition(this.get(fullName));
    this.expandedCache.set(fullName, expanded);
    return expanded;
  }

  /** The avsc type of a record's expanded schema, with the project's logical types. */
  avroType(fullName: string): avro.Type {
    return avro.Type.forSchema(this.expand(fullName) as avro.Schema, { ...AVRO_TYPE_OPTIONS, registry: {} });
  }
}
