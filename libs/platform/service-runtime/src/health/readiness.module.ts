import { Module, type DynamicModule } from '@nestjs/common';
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
