import { describe, expect, it } from 'vitest';
import {
  classifyTopic,
  CONSUMER_GROUPS,
  createAvroType,
  deadLetterTopicName,
  messageKeyOf,
  MessageKeyError,
  replayTopicName,
  retryTopicName,
  TOPIC_CATALOG,
  TOPICS,
  type CustomerObservation,
} from '../src/index.js';

const observation: CustomerObservation = {
  sourceSystem: 'X3',
  sourceEntity: 'BPCUSTOMER',
  sourceId: 'C:0001%',
  observedAt: new Date('2026-11-26T10:00:00Z'),
  deleted: false,
  email: 'jane@acme.example',
  firstName: 'Jane',
  lastName: 'Doe',
  companyName: 'ACME',
  phone: null,
  address: null,
  customerCode: 'C:0001%',
  customerGroup: null,
  currencyCode: 'EUR',
  paymentTerms: null,
  creditStatus: 'OK',
  totalRevenue: { amount: '1250.5', currencyCode: 'EUR' },
  lastPurchaseDate: '2026-11-01',
  industrySegment: null,
  pardotGrade: null,
  pardotScore: null,
  customFields: {},
  clearedFields: ['phone'],
  links: [],
  quarantinedFields: [],
};

describe('the generated catalog', () => {
  it('holds every topic with a value schema that parses on its own', () => {
    expect(TOPIC_CATALOG.topics.length).toBeGreaterThanOrEqual(20);
    for (const topic of TOPIC_CATALOG.topics) {
      expect(() => createAvroType(topic.value.json), topic.name).not.toThrow();
      expect(topic.keyFields.length, topic.name).toBeGreaterThan(0);
    }
  });

  it('keeps latest-state topics compacted and forever', () => {
    for (const topic of [
      TOPICS.customerGoldenRecordMasteredV1,
      TOPICS.inventoryStockLevelChangedV1,
      TOPICS.engagementScoreChangedV1,
    ]) {
      expect(topic.cleanupPolicy).toBe('compact');
      expect(topic.retentionMs).toBe(-1);
    }
  });

  it('lets two independent consumer groups read the stock levels', () => {
    const readers = TOPIC_CATALOG.consumerGroups.filter((g) =>
      g.topics.includes(TOPICS.inventoryStockLevelChangedV1.name),
    );
    expect(readers.map((g) => g.name).sort()).toEqual([
      'pardot-writer.stock-fields',
      'pardot-writer.stock-webhook',
    ]);
  });

  it('encodes a canonical value with its registered schema', () => {
    const type = createAvroType(TOPICS.customerObservationRecordedV1.value.json);
    const back = type.fromBuffer(type.toBuffer(observation)) as CustomerObservation;
    expect(back.totalRevenue?.amount).toBe('1250.5000');
    expect(back.observedAt).toEqual(observation.observedAt);
    expect(back.clearedFields).toEqual(['phone']);
  });

  it('gives every retry level a topic of its own consumer group', () => {
    expect(CONSUMER_GROUPS.mdmCustomerMastering.retryDelaysMs).toEqual([5_000, 60_000, 600_000]);
    expect(retryTopicName('mdm.customer-mastering', 2)).toBe('mdm.customer-mastering.retry.2');
  });
});

describe('message keys', () => {
  it('joins the key fields with ":" and escapes ":" and "%" inside a part', () => {
    expect(messageKeyOf(TOPICS.customerObservationRecordedV1, observation)).toBe('X3:BPCUSTOMER:C%3A0001%25');
  });

  it('refuses a value without its business identity', () => {
    expect(() =>
      messageKeyOf(TOPICS.customerObservationRecordedV1, { ...observation, sourceId: '' }),
    ).toThrow(MessageKeyError);
  });
});

describe('topic roles', () => {
  it('tells event, replay, retry, redrive and dead-letter topics apart', () => {
    expect(classifyTopic('customer.observation.recorded.v1')).toEqual({
      role: 'event',
      topic: 'customer.observation.recorded.v1',
    });
    expect(classifyTopic(replayTopicName('sales.order.requested.v1'))).toEqual({
      role: 'replay',
      topic: 'sales.order.requested.v1',
    });
    expect(classifyTopic('mdm.customer-mastering.retry.3')).toEqual({
      role: 'retry',
      group: 'mdm.customer-mastering',
      level: 3,
    });
    expect(classifyTopic('mdm.customer-mastering.redrive')).toEqual({
      role: 'redrive',
      group: 'mdm.customer-mastering',
    });
    expect(classifyTopic(deadLetterTopicName('mdm.customer-mastering'))).toEqual({
      role: 'dead-letter',
      group: 'mdm.customer-mastering',
    });
    expect(classifyTopic('__consumer_offsets')).toEqual({ role: 'other', topic: '__consumer_offsets' });
  });
});
