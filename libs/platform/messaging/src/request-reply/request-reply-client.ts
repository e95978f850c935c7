import { randomBytes } from 'node:crypto';
import type { TopicDefinition } from '@pardot-x3/canonical';
import type { Logger } from '@pardot-x3/observability';
import type {
  DriverAdmin,
  DriverConsumer,
  IncomingBatch,
  KafkaDriver,
} from '../driver/kafka-driver.types.js';
import { RequestTimeoutError } from '../errors/request-timeout.error.js';
import {
  EVENT_HEADERS,
  headerText,
  readEventMetadata,
  TRANSPORT_HEADERS,
  type EventMetadata,
} from '../events/event-headers.js';
import { newEventId } from '../events/event-id.js';
import type { MessagingMetrics } from '../metrics/messaging-metrics.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { EventProducer, SendOptions } from '../producer/event-producer.js';
import type { AvroSerde } from '../serde/avro-serde.js';

export interface RequestReplyOptions {
  /** Catalog topics this client reads replies on. */
  readonly replyTopics: readonly TopicDefinition<unknown>[];
  /** The requesting service; the reply group is `<service>.replies.<instance>`. */
  readonly service: string;
  /** Distinguishes replicas (default: random); each replica reads every reply and keeps its own. */
  readonly instanceId?: string;
  /** Default time to wait for a reply (default 30 s). */
  readonly defaultTimeoutMs?: number;
}

export interface RequestReplyDependencies {
  readonly driver: KafkaDriver;
  readonly admin: DriverAdmin;
  readonly serde: AvroSerde;
  readonly producer: EventProducer;
  readonly namespace: TopicNamespace;
  readonly logger: Logger;
  readonly metrics: MessagingMetrics;
}

export interface Reply<R> {
  readonly value: R;
  readonly metadata: EventMetadata;
  /** The request's event id: also the reply's causation id (the correlation of the exchange). */
  readonly requestId: string;
  readonly elapsedMs: number;
}

interface Pending {
  readonly replyTopic: TopicDefinition<unknown>;
  readonly requestTopic: string;
  readonly started: number;
  readonly resolve: (reply: Reply<unknown>) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Request-reply over Kafka (order creation): a request is an event on its topic with a `px3-reply-to`
 * header naming the reply topic; the replier (a consumer runner handler calling `context.reply`)
 * answers there with causation id = the request's event id, which is how replies are matched.
 *
 * Each instance reads the reply topics with a group of its own and no committed offsets, starting at
 * the offsets the topics had when it started, so it sees every reply to its requests and only keeps
 * those. A request that times out stays in Kafka: its reply, when it comes, is an ordinary event
 * other consumers of the reply topic still act on.
 */
export class RequestReplyClient {
  private readonly pending = new Map<string, Pending>();
  private readonly groupId: string;
  private readonly startOffsets = new Map<string, bigint>();
  private consumer?: DriverConsumer;
  private started?: Promise<void>;

  constructor(
    private readonly options: RequestReplyOptions,
    private readonly deps: RequestReplyDependencies,
  ) {
    const instance = options.instanceId ?? randomBytes(6).toString('hex');
    this.groupId = deps.namespace.group(`${options.service}.replies.${instance}`);
  }

  /** Starts reading replies; requests wait for it. */
  start(): Promise<void> {
    this.started ??= this.startConsumer().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  /**
   * Sends `value` on `requestTopic` and resolves with the decoded reply from `replyTopic`, or rejects
   * with {@link RequestTimeoutError} after `timeoutMs`.
   */
  async request<Q, R>(
    requestTopic: TopicDefinition<Q>,
    value: Q,
    replyTopic: TopicDefinition<R>,
    options: Omit<SendOptions, 'headers'> & { readonly timeoutMs?: number } = {},
  ): Promise<Reply<R>> {
    if (!this.options.replyTopics.some((t) => t.name === replyTopic.name)) {
      throw new Error(`This request-reply client does not read ${replyTopic.name}; add it to replyTopics`);
    }
    await this.start();
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000;
    const started = performance.now();
    // Registered before sending, so even the fastest reply finds its request.
    const requestId = options.eventId ?? newEventId();
    const reply = new Promise<Reply<R>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        this.deps.metrics.requestReplySeconds.observe(
          { request_topic: requestTopic.name, outcome: 'timeout' },
          (performance.now() - started) / 1_000,
        );
        reject(new RequestTimeoutError(requestTopic.name, requestId, timeoutMs));
      }, timeoutMs);
      this.pending.set(requestId, {
        replyTopic,
        requestTopic: requestTopic.name,
        started,
        resolve: resolve as (reply: Reply<unknown>) => void,
        reject,
        timer,
      });
    });
    try {
      await this.deps.producer.send(requestTopic, value, {
        ...options,
        eventId: requestId,
        headers: { [TRANSPORT_HEADERS.replyTo]: replyTopic.name },
      });
    } catch (error) {
      const pending = this.pending.get(requestId);
      if (pending) {
        clearTimeout(pending.timer);
        this.pending.delete(requestId);
      }
      reply.catch(() => undefined);
      throw error;
    }
    return reply;
  }

  /** Stops reading replies; pending requests fail. */
  async stop(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`request ${id} abandoned: the request-reply client stopped`));
    }
    this.pending.clear();
    const consumer = this.consumer;
    this.consumer = undefined;
    this.started = undefined;
    await consumer?.disconnect();
  }

  private async startConsumer(): Promise<void> {
    const topics = this.options.replyTopics.map((t) => this.deps.namespace.topic(t.name));
    // Replies to requests sent from now on are at or after the current end offsets.
    for (const topic of topics) {
      for (const p of await this.deps.admin.fetchTopicOffsets(topic))
        this.startOffsets.set(`${topic}:${p.partition}`, BigInt(p.high));
    }
    const consumer = this.deps.driver.createConsumer({ groupId: this.groupId, maxWaitTimeMs: 100 });
    await consumer.connect();
    await consumer.subscribe(topics, true);
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: (batch, control) => this.readReplies(batch, control.resolveOffset),
    });
    this.consumer = consumer;
  }

  private async readReplies(batch: IncomingBatch, resolveOffset: (offset: string) => void): Promise<void> {
    const start = this.startOffsets.get(`${batch.topic}:${batch.partition}`) ?? 0n;
    for (const message of batch.messages) {
      resolveOffset(message.offset);
      if (BigInt(message.offset) < start) continue;
      const requestId = headerText(message.headers, EVENT_HEADERS.causationId);
      const pending = requestId === undefined ? undefined : this.pending.get(requestId);
      if (!pending || requestId === undefined || message.value === null) continue;
      this.pending.delete(requestId);
      clearTimeout(pending.timer);
      try {
        const value = await this.deps.serde.deserialize(message.value, pending.replyTopic.value);
        const metadata = readEventMetadata(message.headers, requestId, message.timestamp);
        const elapsedMs = performance.now() - pending.started;
        this.deps.metrics.requestReplySeconds.observe(
          { request_topic: pending.requestTopic, outcome: 'replied' },
          elapsedMs / 1_000,
        );
        pending.resolve({ value, metadata, requestId, elapsedMs });
      } catch (error) {
        pending.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
