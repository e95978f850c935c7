import { createLogger } from '@pardot-x3/observability';
import { describe, expect, it } from 'vitest';
import { createKafkaDriver } from './kafka-driver.factory.js';

const options = {
  clientId: 'factory-spec',
  brokers: ['127.0.0.1:1'],
  logger: createLogger({ service: 'factory-spec', level: 'silent' }),
};

describe('createKafkaDriver', () => {
  it.each(['kafkajs', 'platformatic'] as const)(
    'creates the %s driver KAFKA_CLIENT names (platformatic is loaded only then)',
    async (name) => {
      const driver = await createKafkaDriver(name, options);
      expect(driver.name).toBe(name);
    },
  );
});
