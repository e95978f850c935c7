// The NestJS adapter of @pardot-x3/messaging: a global module, handler decorators, an injectable
// producer and request-reply client. See docs/messaging.md ("In a NestJS service").
export { MessagingModule, type MessagingModuleAsyncOptions } from './messaging.module.js';
export type { ConsumerTuning, MessagingModuleOptions } from './messaging-module.options.js';
export { EventConsumer } from './decorators/event-consumer.decorator.js';
export {
  HandleEvent,
  HandleEventBatch,
  HandleTombstone,
  type EventHandlerMetadata,
} from './decorators/handle-event.decorator.js';
export { MessageProducer } from './message-producer.service.js';
export { MessagingRequestReply } from './messaging-request-reply.service.js';
export { MessagingConsumers } from './messaging-consumers.service.js';
export { MESSAGING } from './messaging-nest.constants.js';
