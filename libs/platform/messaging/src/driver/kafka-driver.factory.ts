import type { KafkaConnectionOptions, KafkaDriver, KafkaDriverName } from './kafka-driver.types.js';
import { KafkaJsDriver } from './kafkajs.driver.js';

/**
 * The Kafka driver named by KAFKA_CLIENT. `platformatic` loads @platformatic/kafka only when chosen, so a service on kafkajs does not hold it
 * in memory (ADR 0132).
 */
export async function createKafkaDriver(
  name: KafkaDriverName,
  options: KafkaConnectionOptions,
): Promise<KafkaDriver> {
  switch (name) {
    case 'kafkajs':
      return new KafkaJsDriver(options);
    case 'platformatic': {
      const { PlatformaticKafkaDriver } = await import('./platformatic.driver.js');
      return new PlatformaticKafkaDriver(options);
    }
  }
}
