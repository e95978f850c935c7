import { Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  TOPICS,
  type ConsumerGroupDefinition,
  type CustomerObservation,
  type SalesOrderRequested,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import { Messaging, type BatchItem, type MessageContext, type MessagingConfig } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { createTestDatabase, stackEnv, uniqueNamespace, waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventConsumer,
  HandleEvent,
  HandleEventBatch,
  MessageProducer,
  MessagingConsumers,
  MessagingModule,
  MessagingRequestReply,
} from '../src/index.js';

const observations = TOPICS.customerObservationRecordedV1;
const requested = TOPICS.salesOrderRequestedV1;
const replied = TOPICS.salesOrderRepliedV1;
const masteringGroup: ConsumerGroupDefinition = {
  name: 'mdm.nest-test',
  description: 'test',
  topics: [observations.name],
  retryDelaysMs: [500],
};
const writerGroup: ConsumerGroupDefinition = {
  name: 'x3-order-writer.nest-test',
  description: 'test',
  topics: [requested.name],
  retryDelaysMs: [500],
};

@Injectable()
@EventConsumer(masteringGroup)
class ObservationHandler {
  readonly seen: { sourceId: string; observedAt: Date; attempt: number; topic: string }[] = [];

  @HandleEvent(observations)
  async onObservation(observation: CustomerObservation, context: MessageContext): Promise<void> {
    await context.entityManager.query('INSERT INTO effect (event_id, note) VALUES ($1, $2)', [
      context.metadata.eventId,
      observation.sourceId,
    ]);
    this.seen.push({
      sourceId: observation.sourceId,
      observedAt: observation.observedAt,
      attempt: context.attempt,
      topic: context.topic,
    });
  }
}

const batchGroup: ConsumerGroupDefinition = {
  name: 'mdm.nest-batch-test',
  description: 'test',
  topics: [observations.name],
  retryDelaysMs: [500],
};

@Injectable()
@EventConsumer(batchGroup)
class ObservationBatchHandler {
  readonly batches: string[][] = [];

  @HandleEventBatch(observations, { maxBatchSize: 10 })
  async onObservations(items: readonly BatchItem<CustomerObservation>[]): Promise<void> {
    this.batches.push(items.map((i) => i.event.sourceId));
  }
}

@Injectable()
@EventConsumer(writerGroup)
class OrderWriter {
  @HandleEvent(requested)
  async createOrder(request: SalesOrderRequested, context: MessageContext): Promise<void> {
    context.reply(replied, {
      opportunityId: request.opportunityId,
      outcome: 'REJECTED',
      created: null,
      rejected: {
        opportunityId: request.opportunityId,
        reason: 'INSUFFICIENT_STOCK',
        message: 'Not enough PUMP-40',
        lines: [],
        rejectedAt: new Date(),
      },
    });
  }
}

@Module({})
class TestAppModule {}

describe('MessagingModule in a NestJS application', () => {
  const namespace = uniqueNamespace('nest');
  let app: INestApplicationContext;
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let provisioning: Messaging;
  const catalog: TopicCatalog = {
    topics: [observations, requested, replied],
    consumerGroups: [masteringGroup, writerGroup, batchGroup],
    replicationFactor: 1,
    minInsyncReplicas: 1,
    derived: {
      replay: { retentionMs: 3_600_000 },
      retry: { partitions: 1, retentionMs: 3_600_000 },
      redrive: { partitions: 1, retentionMs: 3_600_000 },
      deadLetter: { partitions: 1, retentionMs: 3_600_000 },
    },
  };

  beforeAll(async () => {
    const env = stackEnv();
    const config: MessagingConfig = {
      service: 'nest-test',
      brokers: env.KAFKA_BROKERS.split(','),
      clientId: 'nest-test',
      ssl: false,
      schemaRegistry: { url: env.SCHEMA_REGISTRY_URL },
      namespace,
      driver: 'kafkajs',
    };
    const logger = createLogger({ service: 'nest-test', level: 'warn', destination: process.stderr });
    provisioning = await Messaging.create({ config, logger, metricsRegistry: new Registry() });
    await (await provisioning.topicProvisioner()).create(catalog);
    await provisioning.schemaPublisher().register(catalog);

    database = await createTestDatabase('nest');
    dataSource = createDataSource({ url: database.url, poolSize: 3 });
    await runMigrations(dataSource);
    await dataSource.query('CREATE TABLE effect (event_id text NOT NULL, note text NOT NULL)');

    const root: DynamicModule = {
      module: TestAppModule,
      imports: [
        MessagingModule.forRoot({
          service: 'nest-test',
          config,
          logger,
          metricsRegistry: new Registry(),
          dataSource,
          replyTopics: [replied],
        }),
      ],
      providers: [ObservationHandler, OrderWriter, ObservationBatchHandler],
    };
    app = await NestFactory.createApplicationContext(root, { logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await (
      await provisioning.admin()
    ).deleteTopics((await (await provisioning.topicProvisioner()).plan(catalog)).map((t) => t.name));
    await provisioning.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('runs a consumer per group and hands decorated methods typed events with a transaction', async () => {
    expect(
      app
        .get(MessagingConsumers)
        .consumers.map((c) => c.groupId)
        .sort(),
    ).toEqual([
      `${namespace}mdm.nest-batch-test`,
      `${namespace}mdm.nest-test`,
      `${namespace}x3-order-writer.nest-test`,
    ]);
    const producer = app.get(MessageProducer);
    const sent = await producer.send(observations, {
      sourceSystem: 'PARDOT',
      sourceEntity: 'Prospect',
      sourceId: '4711',
      observedAt: new Date('2026-11-26T08:00:00.000Z'),
      deleted: false,
      email: 'jane@acme.example',
      firstName: 'Jane',
      lastName: null,
      companyName: null,
      phone: null,
      address: null,
      customerCode: null,
      customerGroup: null,
      currencyCode: null,
      paymentTerms: null,
      creditStatus: null,
      totalRevenue: null,
      lastPurchaseDate: null,
      industrySegment: null,
      pardotGrade: 'A',
      pardotScore: 87,
      customFields: {},
      clearedFields: [],
      links: [],
      quarantinedFields: [],
    });
    const handler = app.get(ObservationHandler);
    await waitFor(() => handler.seen.length === 1, {
      timeoutMs: 30_000,
      description: 'the handler to receive the event',
    });
    expect(handler.seen[0]).toEqual({
      sourceId: '4711',
      observedAt: new Date('2026-11-26T08:00:00.000Z'),
      attempt: 1,
      topic: observations.name,
    });
    await waitFor(() => app.get(ObservationBatchHandler).batches.flat().includes('4711'), {
      timeoutMs: 30_000,
      description: 'the batch handler to receive the event',
    });
    const rows: { event_id: string }[] = await dataSource.query('SELECT event_id FROM effect');
    expect(rows).toEqual([{ event_id: sent.eventId }]);
  });

  it('replies to requests through MessagingRequestReply', async () => {
    const reply = await app.get(MessagingRequestReply).request(
      requested,
      {
        opportunityId: '006000000000NEST',
        opportunityName: null,
        closedAt: new Date(),
        customer: {
          x3CustomerCode: 'C1',
          goldenId: null,
          salesforceAccountId: null,
          companyName: 'ACME',
          email: null,
          phone: null,
          billingAddress: null,
          shippingAddress: null,
          customerGroup: null,
          paymentTerms: null,
        },
        currencyCode: 'EUR',
        requestedDeliveryDate: null,
        salesSite: null,
        customerOrderReference: null,
        lines: [
          {
            lineNumber: 1,
            sourceLineId: null,
            productCode: 'PUMP-40',
            description: null,
            quantity: '40',
            unitPrice: null,
            discountPercent: null,
          },
        ],
        totalAmount: { amount: '100', currencyCode: 'EUR' },
        customFields: {},
      },
      replied,
      { timeoutMs: 30_000 },
    );
    expect(reply.value).toMatchObject({
      outcome: 'REJECTED',
      rejected: { reason: 'INSUFFICIENT_STOCK', message: 'Not enough PUMP-40' },
    });
  });

  it('stops the consumers when the application closes', async () => {
    const consumers = app.get(MessagingConsumers).consumers;
    await app.close();
    expect(consumers.map((c) => c.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });
});
