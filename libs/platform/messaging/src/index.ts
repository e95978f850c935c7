// The messaging layer: framework-agnostic Kafka client drivers, Avro serde through the schema
// registry, producer, consumer runner (retries, dead letters, inbox), request-reply, topic and schema
// provisioning, and the replay/dead-letter operations. See docs/messaging.md.

export { Messaging, type MessagingOptions } from './messaging.js';
export {
  loadMessagingConfig,
  messagingConfigFrom,
  messagingConfigSchema,
  type MessagingConfig,
  type MessagingEnvironment,
} from './messaging.config.js';

// Drivers
export type {
  BatchControl,
  ConsumerGroupState,
  ConsumerRunOptions,
  DriverAdmin,
  DriverConsumer,
  DriverConsumerOptions,
  DriverProducer,
  DriverProducerOptions,
  IncomingBatch,
  IncomingMessage,
  KafkaConnectionOptions,
  KafkaDriver,
  KafkaDriverName,
  OutgoingRecord,
  PartitionOffsets,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
} from './driver/kafka-driver.types.js';
export { KafkaJsDriver } from './driver/kafkajs.driver.js';
export { createKafkaDriver } from './driver/kafka-driver.factory.js';
export { DriverCapabilityError } from './driver/driver-capability.error.js';
export { partitionForKey, murmur2 } from './driver/murmur2-partitioner.js';
export { TopicNotFoundError } from './driver/topic-metadata.cache.js';

// Names, events, errors
export { TopicNamespace } from './naming/topic-namespace.js';
export {
  EVENT_HEADERS,
  TRANSPORT_HEADERS,
  eventHeaders,
  eventTypeOf,
  readEventMetadata,
  sourceOf,
  type EventMetadata,
} from './events/event-headers.js';
export { deriveEventId, newEventId } from './events/event-id.js';
export { NonRetriableError } from './errors/non-retriable.error.js';
export { InvalidMessageError } from './errors/invalid-message.error.js';
export { BackPressureError } from './errors/back-pressure.error.js';
export { SchemaNotRegisteredError } from './errors/schema-not-registered.error.js';
export { SchemaRegistryUnavailableError } from './errors/schema-registry-unavailable.error.js';
export { RequestTimeoutError } from './errors/request-timeout.error.js';

// Serde
export {
  SchemaRegistryClient,
  SchemaRegistryRequestError,
  type CompatibilityLevel,
  type SchemaRegistryOptions,
} from './serde/schema-registry-client.js';
export { AvroSerde, readWireFormat, writeWireFormat } from './serde/avro-serde.js';

// Producing, consuming, request-reply
export {
  EventProducer,
  outgoingEvent,
  type OutgoingEvent,
  type SendOptions,
  type SentEvent,
} from './producer/event-producer.js';
export {
  ConsumerRunner,
  type ConsumerRunnerOptions,
  type ConsumerRunnerState,
  PoisonPillError,
} from './consumer/consumer-runner.js';
export { decideOnFailure, type FailureDecision } from './consumer/failure-decision.js';
export { POISON_PILL_EXITS } from './consumer/poison-pill-guard.js';
export { parkableMessage, type DeferredFailure, type ParkableMessage } from './consumer/parked-effect.js';
export {
  onEvent,
  onEventBatch,
  type BatchContext,
  type BatchHandler,
  type BatchItem,
  type DeliveryKind,
  type EventHandler,
  type HandlerRegistration,
  type MessageContext,
} from './consumer/message-handler.types.js';
export {
  RequestReplyClient,
  type Reply,
  type RequestReplyOptions,
} from './request-reply/request-reply-client.js';

// Catalog provisioning and checks
export {
  planTopics,
  MANAGED_CONFIGS,
  type PlannedTopic,
  type PlannedTopicRole,
} from './catalog/topic-plan.js';
export {
  TopicProvisioner,
  hasDrift,
  type DriftReport,
  type TopicDifference,
} from './catalog/topic-provisioner.js';
export {
  SchemaPublisher,
  planSubjects,
  SUBJECT_COMPATIBILITY,
  type PlannedSubject,
  type SubjectResult,
  type SubjectStatus,
} from './catalog/schema-publisher.js';

// Operations (replay CLI)
export type { Progress, ProgressListener } from './operations/progress.types.js';
export { TopicRangeReader, type PartitionRange } from './operations/topic-range-reader.js';
export {
  DeadLetterInspector,
  messagePattern,
  selectDeadLetters,
  summarizeDeadLetters,
  type DeadLetterEntry,
  type DeadLetterErrorGroup,
  type DeadLetterFilter,
} from './operations/dead-letter-inspector.js';
export { DeadLetterRedriver, type RedriveResult } from './operations/dead-letter-redriver.js';
export { TopicReplayer, type ReplayResult } from './operations/topic-replayer.js';
export {
  ConsumerGroupResetter,
  ConsumerGroupActiveError,
  type OffsetChange,
  type ResetPlan,
} from './operations/consumer-group-resetter.js';

// Health and metrics
export type { DependencyHealth, MessagingHealth, ReadinessProbe } from './health/messaging-health.js';
export { MessagingMetrics, type ConsumeOutcome } from './metrics/messaging-metrics.js';
