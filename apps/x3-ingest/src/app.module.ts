import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { X3IngestConfig } from './x3-ingest.config.js';

/** x3-ingest: reads Sage X3 webhooks and REST polls; emits source events. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: X3IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
