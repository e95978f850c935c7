import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { PardotWriterConfig } from './pardot-writer.config.js';

/** pardot-writer: writes prospects, custom fields and external activities to Pardot and Salesforce. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: PardotWriterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
