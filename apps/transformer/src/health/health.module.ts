import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { TransformerConfig } from '../transformer.config.js';

/** What transformer needs before it is ready: Kafka and the schema registry. */
@Module({})
export class HealthModule {
  static register(config: TransformerConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, {
            clientId: `${config.KAFKA_CLIENT_ID ?? 'transformer'}-readiness`,
          }),
          new SchemaRegistryReadinessCheck(config),
        ]),
      ],
    };
  }
}
