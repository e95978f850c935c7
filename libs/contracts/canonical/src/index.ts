// Types, schemas and the topic catalog generated from schemas/ (npx nx run canonical:codegen).
export * from './generated/avro-types.js';
export * from './generated/avro-schemas.js';
export { TOPICS, CONSUMER_GROUPS, TOPIC_CATALOG } from './generated/topic-catalog.js';

export { avroRecordSchema } from './catalog/topic-catalog.types.js';
export type {
  AvroRecordSchema,
  AvroSchemaJson,
  CleanupPolicy,
  ConsumerGroupDefinition,
  DerivedTopicSettings,
  TopicCatalog,
  TopicDefinition,
} from './catalog/topic-catalog.types.js';
export {
  CONSUMER_GROUP_PATTERN,
  EVENT_TOPIC_PATTERN,
  NAMESPACE_PATTERN,
  classifyTopic,
  deadLetterTopicName,
  redriveTopicName,
  replayTopicName,
  retryTopicName,
  valueSubjectName,
  type TopicRole,
} from './catalog/topic-naming.js';
export { messageKeyOf, MessageKeyError } from './catalog/message-key.js';
export {
  AVRO_LOGICAL_TYPES,
  AVRO_TYPE_OPTIONS,
  createAvroType,
  DateType,
  DecimalType,
  TimestampMillisType,
  UuidType,
} from './avro/avro-logical-types.js';
