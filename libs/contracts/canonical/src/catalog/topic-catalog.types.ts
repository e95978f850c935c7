/** A JSON value of an Avro schema document. */
export type AvroSchemaJson =
  string | number | boolean | null | readonly AvroSchemaJson[] | { readonly [key: string]: AvroSchemaJson };

/**
 * A self-contained Avro record schema (every named type it uses defined inline, as registered in the
 * schema registry) together with the TypeScript type of its values (a compile-time marker only).
 */
export interface AvroRecordSchema<V> {
  /** Full name, e.g. `pardotx3.customer.CustomerObservation`. */
  readonly fullName: string;
  /** The schema as JSON text, exactly as registered (and looked up) in the schema registry. */
  readonly json: string;
  /** The same schema parsed: logical types and documentation included. */
  readonly definition: { readonly [key: string]: AvroSchemaJson };
  /** Never set; carries the value type for type inference. */
  readonly valueType?: V;
}

/** Builds an {@link AvroRecordSchema} from its JSON text (used by the generated code and by tests). */
export function avroRecordSchema<V>(json: string): AvroRecordSchema<V> {
  const definition = JSON.parse(json) as { readonly [key: string]: AvroSchemaJson };
  const name = definition['name'];
  const namespace = definition['namespace'];
  if (definition['type'] !== 'record' || typeof name !== 'string')
    throw new Error('an AvroRecordSchema must be a named record');
  const fullName = name.includes('.') || typeof namespace !== 'string' ? name : `${namespace}.${name}`;
  return Object.freeze({ fullName, json, definition });
}

export type CleanupPolicy = 'delete' | 'compact';

/** A topic of the catalog (`schemas/catalog.yaml`). */
export interface TopicDefinition<V = unknown> {
  /** Logical name `<domain>.<entity>.<event>.v<N>`, without the environment's namespace prefix. */
  readonly name: string;
  readonly description: string;
  /** The value schema; subject `<namespace><name>-value` (TopicNameStrategy). */
  readonly value: AvroRecordSchema<V>;
  /** Fields of the value whose values, joined with ":", make the message key (the business identity). */
  readonly keyFields: readonly string[];
  readonly partitions: number;
  /** Wanted replication factor; capped at the number of brokers when the topic is created. */
  readonly replicationFactor: number;
  /** Wanted min.insync.replicas; capped at the replication factor. */
  readonly minInsyncReplicas: number;
  /** retention.ms; -1 keeps messages forever (compacted latest-state topics). */
  readonly retentionMs: number;
  /** cleanup.policy: `compact` for latest-state topics (one value per key survives). */
  readonly cleanupPolicy: CleanupPolicy;
}

/** A consumer group of the catalog: what it reads and how it retries. */
export interface ConsumerGroupDefinition {
  /** Group id `<service>.<purpose>`, without the namespace prefix. */
  readonly name: string;
  readonly description: string;
  /** Catalog topics the group reads (their `.replay` topics are read too). */
  readonly topics: readonly string[];
  /** Delay before each retry level; one `<group>.retry.<n>` topic per entry. Empty: no retry topics. */
  readonly retryDelaysMs: readonly number[];
}

/** Settings of the topics derived from catalog topics and groups. */
export interface DerivedTopicSettings {
  readonly replay: { readonly retentionMs: number };
  readonly retry: { readonly partitions: number; readonly retentionMs: number };
  readonly redrive: { readonly partitions: number; readonly retentionMs: number };
  readonly deadLetter: { readonly partitions: number; readonly retentionMs: number };
}

/** The whole catalog: topics, consumer groups and the settings of derived topics. */
export interface TopicCatalog {
  readonly topics: readonly TopicDefinition[];
  readonly consumerGroups: readonly ConsumerGroupDefinition[];
  readonly derived: DerivedTopicSettings;
  /** Default replication settings, used for derived topics. */
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}
