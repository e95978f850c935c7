import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { TransformerConfig } from './transformer.config.js';

/** transformer: maps source events to canonical events with the mapping templates. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: TransformerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
