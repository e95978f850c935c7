import { ConfluentKafkaDriver } from './confluent.driver.js';
import type { KafkaConnectionOptions, KafkaDriver, KafkaDriverName } from './kafka-driver.types.js';
import { KafkaJsDriver } from './kafkajs.driver.js';

/**
 * The Kafka driver named by KAFKA_CLIENT. `confluent` loads @confluentinc/kafka-javascript at run time
 * (not a dependency of the repository: its native addon needs a build; docs/decisions/0010-...);
 * `platformatic` loads @platformatic/kafka only when chosen, so a service on kafkajs does not hold it
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
    case 'confluent':
      return ConfluentKafkaDriver.load(options);
  }
}
