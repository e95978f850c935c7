import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AUDIT_SINK } from '@pardot-x3/access';
import { loadMessagingConfig, Messaging } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { AuditTopicSink } from './audit-topic.sink.js';
import { MessageProducer } from './message-producer.service.js';
import { MessagingConsumers } from './messaging-consumers.service.js';
import type { MessagingModuleOptions } from './messaging-module.options.js';
import { MESSAGING, MESSAGING_MODULE_OPTIONS } from './messaging-nest.constants.js';
import { MessagingRequestReply } from './messaging-request-reply.service.js';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

/** Closes the messaging layer (producer, admin connections) last, after the consumers stopped. */
class MessagingCloser implements OnApplicationShutdown {
  constructor(private readonly messaging: Messaging) {}

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.close();
  }
}

/**
 * The messaging layer in a NestJS service (global): `MessageProducer`, `MessagingRequestReply`, the
 * `Messaging` instance (token MESSAGING, e.g. for readiness), and a consumer runner per consumer group
 * whose handlers are declared with @EventConsumer and @HandleEvent.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return MessagingModule.build([], { provide: MESSAGING_MODULE_OPTIONS, useValue: options });
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return MessagingModule.build(options.imports ?? [], {
      provide: MESSAGING_MODULE_OPTIONS,
      useFactory: options.useFactory as (
        ...args: unknown[]
      ) => MessagingModuleOptions | Promise<MessagingModuleOptions>,
      inject: options.inject ?? [],
    });
  }

  private static build(
    imports: NonNullable<ModuleMetadata['imports']>,
    optionsProvider: NonNullable<ModuleMetadata['providers']>[number],
  ): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      providers: [
        optionsProvider,
        {
          provide: MESSAGING,
          inject: [MESSAGING_MODULE_OPTIONS],
          useFactory: (options: MessagingModuleOptions) =>
            Messaging.create({
              config: options.config ?? loadMessagingConfig(options.service),
              logger: options.logger ?? createLogger({ service: options.service }),
              metricsRegistry: options.metricsRegistry,
            }),
        },
        {
          provide: MessagingCloser,
          inject: [MESSAGING],
          useFactory: (messaging: Messaging) => new MessagingCloser(messaging),
        },
        // The audit trail of the service's operator actions goes to the audit topic (docs/security.md).
        { provide: AUDIT_SINK, inject: [MESSAGING], useFactory: (m: Messaging) => new AuditTopicSink(m) },
        MessageProducer,
        MessagingRequestReply,
        MessagingConsumers,
      ],
      exports: [MESSAGING, AUDIT_SINK, MessageProducer, MessagingRequestReply, MessagingConsumers],
    };
  }
}
