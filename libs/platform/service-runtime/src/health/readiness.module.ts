import { Module, type DynamicModule } from '@nestjs/common';
import type { DatabaseConfig, HttpServerConfig, KafkaConfig, SchemaRegistryConfig } from '@pardot-x3/config';
import { KafkaReadinessCheck } from './checks/kafka-readiness.check.js';
import { PostgresReadinessCheck } from './checks/postgres-readiness.check.js';
import { SchemaRegistryReadinessCheck } from './checks/schema-registry-readiness.check.js';
import type { ReadinessCheck } from './readiness-check.types.js';
import { ReadinessRegistry } from './readiness-registry.service.js';

/**
 * Contributes readiness checks from a module:
 *
 *     imports: [ReadinessModule.register([new KafkaReadinessCheck(...), new PostgresReadinessCheck(...)])]
 *
 * A provider that only knows its check at run time injects `ReadinessRegistry` and calls `register()`
 * in `onModuleInit` instead. Checks are closed at shutdown, after the HTTP server.
 */
@Module({})
export class ReadinessModule {
  /**
   * What a pipeline service needs before it is ready: Kafka (an admin client of its own,
   * `<client id>-readiness`), the schema registry, and its database when it has one.
   */
  static forService(
    service: string,
    config: KafkaConfig &
      SchemaRegistryConfig &
      Partial<Pick<DatabaseConfig, 'DATABASE_URL'>> &
      Partial<Pick<HttpServerConfig, 'READINESS_CHECK_TIMEOUT_MS'>>,
  ): DynamicModule {
    const { DATABASE_URL } = config;
    return ReadinessModule.register([
      new KafkaReadinessCheck(config, { clientId: `${config.KAFKA_CLIENT_ID ?? service}-readiness` }),
      new SchemaRegistryReadinessCheck(config),
      ...(DATABASE_URL ? [new PostgresReadinessCheck({ ...config, DATABASE_URL })] : []),
    ]);
  }

  static register(checks: readonly ReadinessCheck[]): DynamicModule {
    const token = Symbol('readiness-checks');
    return {
      module: ReadinessModule,
      providers: [
        {
          provide: token,
          inject: [ReadinessRegistry],
          useFactory: (registry: ReadinessRegistry) => {
            for (const check of checks) registry.register(check);
            return checks;
          },
        },
      ],
    };
  }
}
