import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';

/** What salesforce-ingest needs before it is ready: Kafka and the schema registry, and its database. */
@Module({})
export class HealthModule {
  static register(config: SalesforceIngestConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, {
            clientId: `${config.KAFKA_CLIENT_ID ?? 'salesforce-ingest'}-readiness`,
          }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}
