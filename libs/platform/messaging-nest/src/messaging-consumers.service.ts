import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { ConsumerGroupDefinition } from '@pardot-x3/canonical';
import {
  onEvent,
  onEventBatch,
  type BatchContext,
  type BatchItem,
  type ConsumerRunner,
  type HandlerRegistration,
  type Messaging,
  type MessageContext,
} from '@pardot-x3/messaging';
import { ReadinessRegistry } from '@pardot-x3/service-runtime';
import { EventConsumer } from './decorators/event-consumer.decorator.js';
import type { EventHandlerMetadata } from './decorators/handle-event.decorator.js';
import { EVENT_HANDLER_METADATA, MESSAGING, MESSAGING_MODULE_OPTIONS } from './messaging-nest.constants.js';
import type { MessagingModuleOptions } from './messaging-module.options.js';

type BoundHandler = (value: unknown, context: MessageContext) => Promise<void>;

type BoundBatchHandler = (items: readonly BatchItem<unknown>[], context: BatchContext) => Promise<void>;

interface TopicHandlers {
  readonly topic: HandlerRegistration['topic'];
  handle?: BoundHandler;
  handleBatch?: { readonly handler: BoundBatchHandler; readonly maxBatchSize?: number };
  onTombstone?: BoundHandler;
}

interface GroupHandlers {
  readonly group: ConsumerGroupDefinition;
  readonly events: Map<string, TopicHandlers>;
}

/**
 * Finds the @EventConsumer providers of the application, builds one consumer runner per consumer
 * group from their @HandleEvent / @HandleEventBatch methods, starts them once the application has bootstrapped and stops
 * them (finishing the message in hand, committing) before it shuts down. Registers a `consumers`
 * readiness check with the service runtime when there is one.
 */
@Injectable()
export class MessagingConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];

  constructor(
    @Inject(MESSAGING) private readonly messaging: Messaging,
    @Inject(MESSAGING_MODULE_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  /** The runners, one per consumer group with handlers. */
  get consumers(): readonly ConsumerRunner[] {
    return this.runners;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const { group, events } of this.discover().values()) {
      const handlers = [...events.values()].map(({ topic, handle, handleBatch, onTombstone }) => {
        const tombstones = onTombstone as
          ((key: string, context: MessageContext) => Promise<void>) | undefined;
        if (handleBatch)
          return onEventBatch(topic, handleBatch.handler, {
            maxBatchSize: handleBatch.maxBatchSize,
            onTombstone: tombstones,
          });
        if (!handle)
          throw new Error(
            `Consumer group ${group.name} has a @HandleTombstone for ${topic.name} but no @HandleEvent or @HandleEventBatch`,
          );
        return onEvent(topic, handle, { onTombstone: tombstones });
      });
      this.runners.push(
        this.messaging.consumer({
          ...this.options.consumers?.[group.name],
          group,
          handlers,
          dataSource: this.options.dataSource,
        }),
      );
    }
    this.readiness?.register({
      name: 'consumers',
      check: async () => {
        const failing = this.runners
          .map((r) => ({ group: r.groupId, ...r.health() }))
          .filter((h) => !h.healthy);
        if (failing.length > 0)
          throw new Error(failing.map((f) => `${f.group}: ${f.detail ?? f.state}`).join('; '));
      },
    });
    if (this.options.startConsumers !== false && this.runners.length > 0) {
      // Connect once before the runners: refused credentials or an untrusted broker certificate fail the
      // boot with the reason (naming the KAFKA_* setting to fix), not as "topics do not exist".
      await this.messaging.admin();
      await Promise.all(this.runners.map((r) => r.start()));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.runners.map((r) => r.stop()));
  }

  private discover(): Map<string, GroupHandlers> {
    const groups = new Map<string, GroupHandlers>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: EventConsumer.KEY })) {
      const instance: unknown = wrapper.instance;
      const group = this.discovery.getMetadataByDecorator(EventConsumer, wrapper);
      if (!group || typeof instance !== 'object' || instance === null) continue;
      const entry = groups.get(group.name) ?? { group, events: new Map() };
      groups.set(group.name, entry);
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const metadata = this.reflector.get<EventHandlerMetadata | undefined>(
          EVENT_HANDLER_METADATA,
          method as (...args: unknown[]) => unknown,
        );
        if (!metadata) continue;
        const slot: TopicHandlers = entry.events.get(metadata.topic.name) ?? { topic: metadata.topic };
        const taken = metadata.kind === 'tombstone' ? slot.onTombstone : (slot.handle ?? slot.handleBatch);
        if (taken)
          throw new Error(
            `Two ${metadata.kind === 'tombstone' ? 'tombstone' : 'event'} handlers for ${metadata.topic.name} in ${group.name}`,
          );
        if (metadata.kind === 'batch')
          slot.handleBatch = {
            handler: (method as BoundBatchHandler).bind(instance),
            maxBatchSize: metadata.maxBatchSize,
          };
        else if (metadata.kind === 'event') slot.handle = (method as BoundHandler).bind(instance);
        else slot.onTombstone = (method as BoundHandler).bind(instance);
        entry.events.set(metadata.topic.name, slot);
      }
    }
    return groups;
  }
}
