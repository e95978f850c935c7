import { Module, type DynamicModule } from '@nestjs/common';
import {
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  SchemaRegistryReadinessCheck,
} from '@pardot-x3/service-runtime';
import type { MdmConfig } from '../mdm.config.js';

/** What mdm needs before it is ready: Kafka and the schema registry, and its database. */
@Module({})
export class HealthModule {
  static register(config: MdmConfig): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, { clientId: `${config.KAFKA_CLIENT_ID ?? 'mdm'}-readiness` }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}
