import { AVRO_TYPE_OPTIONS, type AvroRecordSchema } from '@pardot-x3/canonical';
import avro from 'avsc';
import { SchemaNotRegisteredError } from '../errors/schema-not-registered.error.js';
import { SchemaRegistryUnavailableError } from '../errors/schema-registry-unavailable.error.js';

export interface SchemaRegistryOptions {
  /** Base URL of a Confluent-compatible registry (Apicurio: .../apis/ccompat/v7). */
  readonly url: string;
  readonly username?: string;
  /** Secret: never logged. */
  readonly password?: string;
  /** Per-request timeout (default 5000 ms). */
  readonly timeoutMs?: number;
}

export type CompatibilityLevel =
  'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

/** A registry answer other than success, with the registry's error code and message. */
export class SchemaRegistryRequestError extends Error {
  readonly status: number;
  readonly errorCode?: number;

  constructor(method: string, path: string, status: number, body: unknown) {
    const detail =
      typeof body === 'object' && body !== null
        ? (body as { message?: unknown; error_code?: unknown })
        : undefined;
    const message = typeof detail?.message === 'string' ? detail.message : JSON.stringify(body);
    super(`schema registry ${method} ${path} answered ${status}: ${message}`);
    this.name = 'SchemaRegistryRequestError';
    this.status = status;
    this.errorCode = typeof detail?.error_code === 'number' ? detail.error_code : undefined;
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The Confluent schema registry API, as pardot-x3 uses it, over plain HTTP: registration, schemas by id
 * (cached forever, concurrent misses share one request), lookup by schema with a clear "not found",
 * subject compatibility, compatibility tests, listings. Schemas are parsed with the project's logical
 * types. (Not @kafkajs/confluent-schema-registry: for the two calls it served it loaded its Protobuf and
 * JSON Schema support too, protobufjs and ajv, ~3.6 MB of heap in every service; docs/decisions/0132.)
 */
export class SchemaRegistryClient {
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  /** Writer types by schema id; a failed fetch is not cached. */
  private readonly types = new Map<number, Promise<avro.Type>>();
  /** By schema text, then subject: the schema texts are constants, whose hash V8 keeps (no long key to build and hash per event). */
  private readonly ids = new Map<string, Map<string, Promise<number>>>();

  constructor(options: SchemaRegistryOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.headers = { accept: `${CONTENT_TYPE}, application/json`, 'content-type': CONTENT_TYPE };
    if (options.username !== undefined)
      this.headers['authorization'] =
        `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }

  /** The registry's base URL (no credentials: they travel in a header). */
  get url(): string {
    return this.baseUrl;
  }

  /** The id of `schema` under `subject` (cached); {@link SchemaNotRegisteredError} when it is not there. */
  idOf(subject: string, schema: AvroRecordSchema<unknown>): Promise<number> {
    let bySubject = this.ids.get(schema.json);
    if (!bySubject) {
      bySubject = new Map();
      this.ids.set(schema.json, bySubject);
    }
    let id = bySubject.get(subject);
    if (!id) {
      const cached = this.lookupId(subject, schema.json).then((found) => {
        if (found === undefined) throw new SchemaNotRegisteredError(subject, schema.fullName);
        return found;
      });
      // A failed lookup is not cached: the next send asks again.
      cached.catch(() => bySubject.delete(subject));
      bySubject.set(subject, cached);
      id = cached;
    }
    return id;
  }

  /** The id of exactly this schema text under the subject, or undefined when the registry does not have it. */
  async lookupId(subject: string, schemaJson: string): Promise<number | undefined> {
    const response = await this.request<{ id: number }>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}`,
      { schema: schemaJson },
      [404],
    );
    return response?.id;
  }

  /** The writer type of a schema id, parsed with the project's logical types (cached). */
  writerType(id: number): Promise<avro.Type> {
    let type = this.types.get(id);
    if (!type) {
      type = this.request<{ schema: string }>('GET', `/schemas/ids/${id}`).then((body) => {
        if (typeof body?.schema !== 'string')
          throw new Error(`schema registry returned no schema for id ${id}`);
        return parseAvro(body.schema);
      });
      type.catch(() => this.types.delete(id));
      this.types.set(id, type);
    }
    return type;
  }

  async getCompatibility(subject: string): Promise<CompatibilityLevel | undefined> {
    const body = await this.request<{
      compatibilityLevel?: CompatibilityLevel;
      compatibility?: CompatibilityLevel;
    }>('GET', `/config/${encodeURIComponent(subject)}`, undefined, [404]);
    return body?.compatibilityLevel ?? body?.compatibility;
  }

  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    await this.request('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  }

  /**
   * Registers the schema under the subject with the given compatibility, set on the subject first
   * (Apicurio has no subject-level config before that). Registering an existing schema returns its id.
   */
  async register(subject: string, schemaJson: string, level: CompatibilityLevel): Promise<number> {
    const type = parseAvro(schemaJson); // an invalid schema fails here, before anything is sent
    await this.setCompatibility(subject, level);
    const body = await this.request<{ id: number }>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schema: schemaJson },
    );
    if (typeof body?.id !== 'number') throw new Error(`schema registry returned no id for ${subject}`);
    this.types.set(body.id, Promise.resolve(type));
    return body.id;
  }

  /**
   * Whether the registry would accept the schema as the subject's next version under the subject's
   * compatibility level (transitive levels check every version); undefined when the subject is new.
   */
  async testCompatibility(subject: string, schemaJson: string): Promise<boolean | undefined> {
    if ((await this.versions(subject)).length === 0) return undefined;
    const body = await this.request<{ is_compatible: boolean }>(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      { schema: schemaJson },
    );
    return body?.is_compatible === true;
  }

  async subjects(): Promise<string[]> {
    return (await this.request<string[]>('GET', '/subjects')) ?? [];
  }

  /** Version numbers of a subject, oldest first; empty for an unknown subject. */
  async versions(subject: string): Promise<number[]> {
    return (
      (await this.request<number[]>(
        'GET',
        `/subjects/${encodeURIComponent(subject)}/versions`,
        undefined,
        [404],
      )) ?? []
    );
  }

  async schemaAt(
    subject: string,
    version: number | 'latest',
  ): Promise<{ id: number; version: number; schema: string }> {
    const body = await this.request<{ id: number; version: number; schema: string }>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
    );
    if (!body) throw new Error(`schema registry returned no schema for ${subject} version ${version}`);
    return body;
  }

  /** Cheap health probe: the global configuration answers. */
  async ping(): Promise<void> {
    await this.request('GET', '/config');
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    absentStatuses: readonly number[] = [],
  ): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SchemaRegistryUnavailableError(
        `schema registry at ${this.baseUrl} did not answer ${method} ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (response.ok) return parsed as T;
    if (absentStatuses.includes(response.status)) return undefined;
    if (response.status >= 500) {
      throw new SchemaRegistryUnavailableError(
        `schema registry at ${this.baseUrl} answered ${response.status} to ${method} ${path}`,
      );
    }
    throw new SchemaRegistryRequestError(method, path, response.status, parsed);
  }
}

/** A schema text as an Avro type with the project's logical types. */
function parseAvro(schemaJson: string): avro.Type {
  return avro.Type.forSchema(JSON.parse(schemaJson) as avro.Schema, { ...AVRO_TYPE_OPTIONS });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
