import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { PardotWriterConfig } from '../pardot-writer.config.js';

/** What pardot-writer needs before it is ready: Kafka and the schema registry, and its database. */
@Module({})
export class HealthModule {
  static register(config: PardotWriterConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, {
            clientId: `${config.KAFKA_CLIENT_ID ?? 'pardot-writer'}-readiness`,
          }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}
