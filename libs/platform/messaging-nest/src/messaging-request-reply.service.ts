import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { TopicDefinition } from '@pardot-x3/canonical';
import type { Messaging, Reply, RequestReplyClient, SendOptions } from '@pardot-x3/messaging';
import { MESSAGING, MESSAGING_MODULE_OPTIONS } from './messaging-nest.constants.js';
import type { MessagingModuleOptions } from './messaging-module.options.js';

/**
 * Request-reply for NestJS services (order creation): sends a request and waits for the reply on a
 * topic listed in MessagingModule's `replyTopics`, matched by correlation, or a RequestTimeoutError.
 */
@Injectable()
export class MessagingRequestReply implements OnApplicationShutdown {
  private client?: Promise<RequestReplyClient>;

  constructor(
    @Inject(MESSAGING) private readonly messaging: Messaging,
    @Inject(MESSAGING_MODULE_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async request<Q, R>(
    requestTopic: TopicDefinition<Q>,
    value: Q,
    replyTopic: TopicDefinition<R>,
    options?: Omit<SendOptions, 'headers'> & { readonly timeoutMs?: number },
  ): Promise<Reply<R>> {
    return (await this.started()).request(requestTopic, value, replyTopic, options);
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client).stop();
  }

  private started(): Promise<RequestReplyClient> {
    const replyTopics = this.options.replyTopics ?? [];
    if (replyTopics.length === 0)
      throw new Error('MessagingModule has no replyTopics: list the topics this service reads replies on');
    this.client ??= this.messaging
      .requestReply({ replyTopics, defaultTimeoutMs: this.options.requestTimeoutMs })
      .then(async (client) => {
        await client.start();
        return client;
      });
    return this.client;
  }
}
