import {
  CONSUMER_GROUP_PATTERN,
  EVENT_TOPIC_PATTERN,
  deadLetterTopicName,
  redriveTopicName,
  replayTopicName,
  retryTopicName,
} from '../src/catalog/topic-naming.ts';
import type { AvroSchemaSet, JsonObject, JsonValue } from './avro-schema-set.ts';
import { GENERATED_HEADER, schemaConstantName } from './typescript-emitter.ts';

/**
 * Reads the topic catalog (`schemas/catalog.yaml`, already parsed), checks it against the schemas and
 * the naming rules, and emits `topic-catalog.ts` (`TOPICS`, `CONSUMER_GROUPS`, `TOPIC_CATALOG`).
 * Pure: takes the parsed document, returns data and file contents.
 */

export interface CompiledTopic {
  readonly name: string;
  readonly constantKey: string;
  readonly description: string;
  readonly valueType: string;
  readonly keyFields: readonly string[];
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly retentionMs: number;
  readonly cleanupPolicy: 'delete' | 'compact';
}

export interface CompiledGroup {
  readonly name: string;
  readonly constantKey: string;
  readonly description: string;
  readonly topics: readonly string[];
  readonly retryDelaysMs: readonly number[];
}

export interface CompiledCatalog {
  readonly topics: readonly CompiledTopic[];
  readonly groups: readonly CompiledGroup[];
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly derived: {
    readonly replay: { readonly retentionMs: number };
    readonly retry: { readonly partitions: number; readonly retentionMs: number };
    readonly redrive: { readonly partitions: number; readonly retentionMs: number };
    readonly deadLetter: { readonly partitions: number; readonly retentionMs: number };
  };
}

export class CatalogError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `schemas/catalog.yaml is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'CatalogError';
    this.problems = problems;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `5s`, `10m`, `12h`, `7d` → milliseconds; `forever` → -1. */
export function parseDuration(text: JsonValue | undefined, where: string, problems: string[]): number {
  if (text === 'forever') return -1;
  const match = typeof text === 'string' ? /^([1-9][0-9]*)(ms|s|m|h|d)$/.exec(text.trim()) : null;
  if (!match?.[1] || !match[2]) {
    problems.push(`${where}: "${String(text)}" is not a duration (<n>ms|s|m|h|d or forever)`);
    return 0;
  }
  return Number(match[1]) * (UNIT_MS[match[2]] ?? 1);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInteger(
  value: JsonValue | undefined,
  fallback: number,
  where: string,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    problems.push(`${where}: must be a whole number from 1, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return value;
}

/** `customer.observation.recorded.v1` → `customerObservationRecordedV1`. */
export function constantKey(name: string): string {
  return name
    .split(/[.-]/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

const KEY_FIELD_TYPES = new Set(['string', 'int', 'long']);

export function compileCatalog(document: JsonValue, schemas: AvroSchemaSet): CompiledCatalog {
  const problems: string[] = [];
  if (!isObject(document))
    throw new CatalogError([
      'the catalog must be a mapping with defaults, derived, topics and consumerGroups',
    ]);
  const defaults = isObject(document['defaults']) ? document['defaults'] : {};
  const partitionsDefault = positiveInteger(defaults['partitions'], 3, 'defaults.partitions', problems);
  const replicationFactor = positiveInteger(
    defaults['replicationFactor'],
    3,
    'defaults.replicationFactor',
    problems,
  );
  const minInsyncReplicas = positiveInteger(
    defaults['minInsyncReplicas'],
    2,
    'defaults.minInsyncReplicas',
    problems,
  );
  const retentionDefault = parseDuration(defaults['retention'] ?? '7d', 'defaults.retention', problems);
  const cleanupDefault = defaults['cleanup'] ?? 'delete';

  const derivedDoc = isObject(document['derived']) ? document['derived'] : {};
  const derivedEntry = (key: string, withPartitions: boolean) => {
    const entry = isObject(derivedDoc[key]) ? derivedDoc[key] : {};
    return {
      partitions: withPartitions
        ? positiveInteger(entry['partitions'], 1, `derived.${key}.partitions`, problems)
        : 0,
      retentionMs: parseDuration(entry['retention'] ?? '7d', `derived.${key}.retention`, problems),
    };
  };
  const derived = {
    replay: { retentionMs: derivedEntry('replay', false).retentionMs },
    retry: derivedEntry('retry', true),
    redrive: derivedEntry('redrive', true),
    deadLetter: derivedEntry('deadLetter', true),
  };

  const topics: CompiledTopic[] = [];
  const topicDocs = isObject(document['topics']) ? document['topics'] : {};
  if (Object.keys(topicDocs).length === 0) problems.push('topics: the catalog lists no topic');
  for (const [name, raw] of Object.entries(topicDocs)) {
    const where = `topics.${name}`;
    if (!EVENT_TOPIC_PATTERN.test(name))
      problems.push(`${where}: topic names are <domain>.<entity>.<event>.v<N> in lower-case words`);
    if (!isObject(raw)) {
      problems.push(`${where}: must be a mapping`);
      continue;
    }
    const description = typeof raw['description'] === 'string' ? raw['description'].trim() : '';
    if (!description) problems.push(`${where}: needs a description`);
    const valueType = String(raw['value'] ?? '');
    const value = schemas.types.get(valueType);
    if (!value || value.kind !== 'record' || !value.root) {
      problems.push(
        `${where}: value "${valueType}" is not a record defined at the root of a schemas/avro file`,
      );
      continue;
    }
    const keyFields = Array.isArray(raw['key']) ? raw['key'].map(String) : [];
    if (keyFields.length === 0) problems.push(`${where}: needs key fields (the business identity)`);
    const fields = (value.node['fields'] as JsonObject[]).map((f) => [String(f['name']), f['type']] as const);
    for (const keyField of keyFields) {
      const field = fields.find(([fieldName]) => fieldName === keyField);
      if (!field) {
        problems.push(`${where}: key field "${keyField}" is not a field of ${valueType}`);
        continue;
      }
      const type = field[1];
      const typeName = typeof type === 'string' ? type : isObject(type) ? String(type['type']) : 'union';
      const isEnum =
        typeName === 'enum' || (typeof type === 'string' && schemas.types.get(type)?.kind === 'enum');
      if (!KEY_FIELD_TYPES.has(typeName) && !isEnum) {
        problems.push(`${where}: key field "${keyField}" must be a non-null string, enum, int or long`);
      }
    }
    const cleanup = raw['cleanup'] ?? cleanupDefault;
    if (cleanup !== 'delete' && cleanup !== 'compact')
      problems.push(`${where}: cleanup must be delete or compact`);
    const topicReplication = positiveInteger(
      raw['replicationFactor'],
      replicationFactor,
      `${where}.replicationFactor`,
      problems,
    );
    topics.push({
      name,
      constantKey: constantKey(name),
      description,
      valueType,
      keyFields,
      partitions: positiveInteger(raw['partitions'], partitionsDefault, `${where}.partitions`, problems),
      replicationFactor: topicReplication,
      minInsyncReplicas: Math.min(
        positiveInteger(raw['minInsyncReplicas'], minInsyncReplicas, `${where}.minInsyncReplicas`, problems),
        topicReplication,
      ),
      retentionMs:
        raw['retention'] === undefined
          ? retentionDefault
          : parseDuration(raw['retention'], `${where}.retention`, problems),
      cleanupPolicy: cleanup === 'compact' ? 'compact' : 'delete',
    });
  }

  const groups: CompiledGroup[] = [];
  const groupDocs = isObject(document['consumerGroups']) ? document['consumerGroups'] : {};
  const topicNames = new Set(topics.map((t) => t.name));
  for (const [name, raw] of Object.entries(groupDocs)) {
    const where = `consumerGroups.${name}`;
    if (!CONSUMER_GROUP_PATTERN.test(name))
      problems.push(`${where}: group ids are <service>.<purpose> in lower-case words`);
    if (!isObject(raw)) {
      problems.push(`${where}: must be a mapping`);
      continue;
    }
    const description = typeof raw['description'] === 'string' ? raw['description'].trim() : '';
    if (!description) problems.push(`${where}: needs a description`);
    const groupTopics = Array.isArray(raw['topics']) ? raw['topics'].map(String) : [];
    if (groupTopics.length === 0) problems.push(`${where}: reads no topic`);
    for (const topic of groupTopics)
      if (!topicNames.has(topic)) problems.push(`${where}: reads "${topic}", which is not in topics`);
    const delays = Array.isArray(raw['retryDelays']) ? raw['retryDelays'] : [];
    const retryDelaysMs = delays.map((d, i) => parseDuration(d, `${where}.retryDelays[${i}]`, problems));
    for (const [i, delay] of retryDelaysMs.entries()) {
      if (delay < 0) problems.push(`${where}.retryDelays[${i}]: a retry delay cannot be forever`);
      if (derived.retry.retentionMs > 0 && delay >= derived.retry.retentionMs) {
        problems.push(
          `${where}.retryDelays[${i}]: longer than derived.retry.retention; messages would expire before their retry`,
        );
      }
    }
    groups.push({ name, constantKey: constantKey(name), description, topics: groupTopics, retryDelaysMs });
  }

  // Derived names must not collide with anything else.
  const allNames = new Map<string, string>();
  const claim = (topic: string, owner: string) => {
    const other = allNames.get(topic);
    if (other) problems.push(`topic name ${topic} is used twice (${other}; ${owner})`);
    allNames.set(topic, owner);
  };
  for (const topic of topics) {
    claim(topic.name, `topics.${topic.name}`);
    claim(replayTopicName(topic.name), `replay of ${topic.name}`);
  }
  for (const group of groups) {
    group.retryDelaysMs.forEach((_, i) =>
      claim(retryTopicName(group.name, i + 1), `retry ${i + 1} of ${group.name}`),
    );
    claim(redriveTopicName(group.name), `redrive of ${group.name}`);
    claim(deadLetterTopicName(group.name), `dead letters of ${group.name}`);
  }
  const keys = new Map<string, string>();
  for (const entry of [...topics, ...groups]) {
    const other = keys.get(entry.constantKey);
    if (other) problems.push(`${entry.name} and ${other} make the same constant name ${entry.constantKey}`);
    keys.set(entry.constantKey, entry.name);
  }

  if (problems.length > 0) throw new CatalogError(problems);
  return { topics, groups, replicationFactor, minInsyncReplicas, derived };
}

/** `topic-catalog.ts`: typed `TOPICS`, `CONSUMER_GROUPS` and the whole `TOPIC_CATALOG`. */
export function emitTopicCatalog(catalog: CompiledCatalog, schemas: AvroSchemaSet): string {
  const schemaImports = new Set<string>();
  const topicEntries = catalog.topics.map((topic) => {
    const value = schemas.get(topic.valueType);
    const constant = schemaConstantName(value);
    schemaImports.add(constant);
    return (
      `  /** ${topic.description} */\n` +
      `  ${topic.constantKey}: topic<T.${value.shortName}>({\n` +
      `    name: ${JSON.stringify(topic.name)},\n` +
      `    description: ${JSON.stringify(topic.description)},\n` +
      `    value: ${constant},\n` +
      `    keyFields: ${JSON.stringify(topic.keyFields)},\n` +
      `    partitions: ${topic.partitions},\n` +
      `    replicationFactor: ${topic.replicationFactor},\n` +
      `    minInsyncReplicas: ${topic.minInsyncReplicas},\n` +
      `    retentionMs: ${topic.retentionMs},\n` +
      `    cleanupPolicy: '${topic.cleanupPolicy}',\n` +
      `  }),`
    );
  });
  const groupEntries = catalog.groups.map(
    (group) =>
      `  /** ${group.description} */\n` +
      `  ${group.constantKey}: group({\n` +
      `    name: ${JSON.stringify(group.name)},\n` +
      `    description: ${JSON.stringify(group.description)},\n` +
      `    topics: ${JSON.stringify(group.topics)},\n` +
      `    retryDelaysMs: ${JSON.stringify(group.retryDelaysMs)},\n` +
      `  }),`,
  );
  return (
    GENERATED_HEADER +
    "import type { ConsumerGroupDefinition, TopicCatalog, TopicDefinition } from '../catalog/topic-catalog.types.js';\n" +
    `import { ${[...schemaImports].sort().join(', ')} } from './avro-schemas.js';\n` +
    "import type * as T from './avro-types.js';\n\n" +
    'function topic<V>(definition: TopicDefinition<V>): TopicDefinition<V> {\n  return Object.freeze(definition);\n}\n\n' +
    'function group(definition: ConsumerGroupDefinition): ConsumerGroupDefinition {\n  return Object.freeze(definition);\n}\n\n' +
    `/** Every topic of schemas/catalog.yaml, by name in camelCase (\`customer.observation.recorded.v1\` → \`customerObservationRecordedV1\`). */\n` +
    `export const TOPICS = {\n${topicEntries.join('\n')}\n} as const;\n\n` +
    `/** Every consumer group of schemas/catalog.yaml, by id in camelCase (\`mdm.customer-mastering\` → \`mdmCustomerMastering\`). */\n` +
    `export const CONSUMER_GROUPS = {\n${groupEntries.join('\n')}\n} as const;\n\n` +
    '/** The whole catalog, for topic creation, drift reports and schema registration. */\n' +
    'export const TOPIC_CATALOG: TopicCatalog = Object.freeze({\n' +
    '  topics: Object.values(TOPICS),\n' +
    '  consumerGroups: Object.values(CONSUMER_GROUPS),\n' +
    `  replicationFactor: ${catalog.replicationFactor},\n` +
    `  minInsyncReplicas: ${catalog.minInsyncReplicas},\n` +
    `  derived: ${JSON.stringify(catalog.derived)},\n` +
    '});\n'
  );
}
