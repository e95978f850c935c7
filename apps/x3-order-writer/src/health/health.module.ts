import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';

/** What x3-order-writer needs before it is ready: Kafka and the schema registry, and its database. */
@Module({})
export class HealthModule {
  static register(config: X3OrderWriterConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, {
            clientId: `${config.KAFKA_CLIENT_ID ?? 'x3-order-writer'}-readiness`,
          }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}
