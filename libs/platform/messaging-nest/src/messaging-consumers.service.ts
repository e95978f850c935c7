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

interface GroupHandlers {
  readonly group: ConsumerGroupDefinition;
  readonly events: Map<
    string,
    { topic: HandlerRegistration['topic']; handle?: BoundHandler; onTombstone?: BoundHandler }
  >;
}

/**
 * Finds the @EventConsumer providers of the application, builds one consumer runner per consumer
 * group from their @HandleEvent methods, starts them once the application has bootstrapped and stops
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
      const handlers = [...events.values()].map(({ topic, handle, onTombstone }) => {
        if (!handle)
          throw new Error(
            `Consumer group ${group.name} has a @HandleTombstone for ${topic.name} but no @HandleEvent`,
          );
        return onEvent(topic, handle, {
          onTombstone: onTombstone as ((key: string, context: MessageContext) => Promise<void>) | undefined,
        });
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
    if (this.options.startConsumers !== false) await Promise.all(this.runners.map((r) => r.start()));
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
        const bound = (method as BoundHandler).bind(instance);
        const slot = entry.events.get(metadata.topic.name) ?? { topic: metadata.topic };
        const field = metadata.kind === 'event' ? 'handle' : 'onTombstone';
        if (slot[field])
          throw new Error(
            `Two @${metadata.kind === 'event' ? 'HandleEvent' : 'HandleTombstone'} methods for ${metadata.topic.name} in ${group.name}`,
          );
        slot[field] = bound;
        entry.events.set(metadata.topic.name, slot);
      }
    }
    return groups;
  }
}
