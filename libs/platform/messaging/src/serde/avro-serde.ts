import { createAvroType, type AvroRecordSchema } from '@pardot-x3/canonical';
import type avro from 'avsc';
import { InvalidMessageError } from '../errors/invalid-message.error.js';
import { SchemaRegistryRequestError, type SchemaRegistryClient } from './schema-registry-client.js';

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

/** Splits a Confluent wire-format value: magic byte 0, schema id (4 bytes, big-endian), Avro binary. */
export function readWireFormat(bytes: Buffer): { schemaId: number; payload: Buffer } {
  if (bytes.length < HEADER_LENGTH || bytes[0] !== MAGIC_BYTE) {
    throw new InvalidMessageError(
      `The value is not in Confluent wire format (${bytes.length < HEADER_LENGTH ? `${bytes.length} bytes` : `magic byte ${bytes[0]}, expected 0`})`,
    );
  }
  return { schemaId: bytes.readUInt32BE(1), payload: bytes.subarray(HEADER_LENGTH) };
}

export function writeWireFormat(schemaId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

/**
 * Avro in Confluent wire format through the schema registry. Producers encode with their own schema
 * and its registered id (looked up once, never auto-registered); consumers decode with the writer's
 * schema (fetched by id once) resolved into their own reader schema, so a consumer built against v1
 * reads v2 data as v1 (schema evolution). Every schema is parsed with the project's logical types.
 */
export class AvroSerde {
  private readonly localTypes = new Map<string, avro.Type>();
  /** By reader schema text, then writer schema id (no long key built and hashed per message). */
  private readonly resolvers = new Map<string, Map<number, avro.Resolver | 'identical'>>();

  constructor(private readonly registry: SchemaRegistryClient) {}

  /**
   * Checks the value against the schema; throws {@link InvalidMessageError} naming every field that
   * does not fit (field paths and expected types only: never the values, which may be personal data).
   */
  validate<V>(schema: AvroRecordSchema<V>, value: V): void {
    const type = this.localType(schema);
    // The compiled check first (no path tracking, no allocation); the walk that names each field only
    // for a value that fails it.
    if (type.isValid(value)) return;
    const problems: string[] = [];
    type.isValid(value, {
      errorHook: (path: string[], got: unknown, expected: avro.Type) => {
        problems.push(
          `${path.length > 0 ? path.join('.') : '(value)'}: expected ${describeType(expected)}, got ${describeValue(got)}`,
        );
      },
    });
    if (problems.length === 0) problems.push('(value): does not match the schema');
    throw new InvalidMessageError(
      `Not a valid ${schema.fullName}: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (+${problems.length - 10} more)` : ''}`,
    );
  }

  /** Encodes a value for a subject: validation, schema id lookup, wire format. */
  async serialize<V>(subject: string, schema: AvroRecordSchema<V>, value: V): Promise<Buffer> {
    this.validate(schema, value);
    const id = await this.registry.idOf(subject, schema);
    return writeWireFormat(id, this.localType(schema).toBuffer(value));
  }

  /** Decodes into the reader schema; {@link InvalidMessageError} for bytes that cannot be read as it. */
  async deserialize<V>(bytes: Buffer, reader: AvroRecordSchema<V>): Promise<V> {
    const { schemaId, payload } = readWireFormat(bytes);
    const readerType = this.localType(reader);
    let byWriter = this.resolvers.get(reader.json);
    if (!byWriter) {
      byWriter = new Map();
      this.resolvers.set(reader.json, byWriter);
    }
    let resolver = byWriter.get(schemaId);
    if (!resolver) {
      const writerType = await this.writerType(schemaId);
      try {
        resolver = writerType.equals(readerType) ? 'identical' : readerType.createResolver(writerType);
      } catch (error) {
        throw new InvalidMessageError(
          `Schema ${schemaId} cannot be read as ${reader.fullName}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      byWriter.set(schemaId, resolver);
    }
    try {
      return (
        resolver === 'identical' ? readerType.fromBuffer(payload) : readerType.fromBuffer(payload, resolver)
      ) as V;
    } catch (error) {
      throw new InvalidMessageError(
        `The value does not decode as schema ${schemaId} (${reader.fullName}): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Decodes with the writer's own schema (tools that show any message). */
  async deserializeAny(
    bytes: Buffer,
  ): Promise<{ schemaId: number; schemaName: string | undefined; value: unknown }> {
    const { schemaId, payload } = readWireFormat(bytes);
    const writerType = await this.writerType(schemaId);
    try {
      return { schemaId, schemaName: writerType.name, value: writerType.fromBuffer(payload) };
    } catch (error) {
      throw new InvalidMessageError(
        `The value does not decode as schema ${schemaId}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private async writerType(schemaId: number): Promise<avro.Type> {
    try {
      return await this.registry.writerType(schemaId);
    } catch (error) {
      // An id the registry does not know means the bytes are not ours to read; an outage is not the message's fault.
      if (error instanceof SchemaRegistryRequestError && error.status === 404) {
        throw new InvalidMessageError(`Schema id ${schemaId} is unknown to the schema registry`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  private localType(schema: AvroRecordSchema<unknown>): avro.Type {
    let type = this.localTypes.get(schema.json);
    if (!type) {
      type = createAvroType(schema.json);
      this.localTypes.set(schema.json, type);
    }
    return type;
  }
}

function describeType(type: avro.Type): string {
  const name = type.typeName;
  if (name.startsWith('union')) {
    return (type as unknown as { types: avro.Type[] }).types.map((t) => describeType(t)).join(' | ');
  }
  if (name === 'enum') return `one of ${(type as unknown as { symbols: string[] }).symbols.join(', ')}`;
  if (name === 'record') return `a ${(type.name ?? 'record').split('.').pop() ?? 'record'}`;
  switch (name) {
    case 'logical:timestamp-millis':
      return 'a Date';
    case 'logical:date':
      return 'an ISO date (YYYY-MM-DD)';
    case 'logical:decimal':
      return `a decimal string with at most ${(type as unknown as { scale: number }).scale} decimals`;
    case 'logical:uuid':
      return 'a UUID';
  }
  return name;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
}
