import type { KafkaDriverName } from './kafka-driver.types.js';

/** An administrative operation the chosen Kafka client library cannot do. */
export class DriverCapabilityError extends Error {
  constructor(driver: KafkaDriverName, operation: string) {
    super(`The ${driver} Kafka driver cannot do ${operation}; run this command with KAFKA_CLIENT=kafkajs.`);
    this.name = 'DriverCapabilityError';
  }
}
