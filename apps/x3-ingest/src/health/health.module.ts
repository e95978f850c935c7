import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { X3IngestConfig } from '../x3-ingest.config.js';

/** What x3-ingest needs before it is ready: Kafka and the schema registry, and its database. */
@Module({})
export class HealthModule {
  static register(config: X3IngestConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, { clientId: `${config.KAFKA_CLIENT_ID ?? 'x3-ingest'}-readiness` }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}
