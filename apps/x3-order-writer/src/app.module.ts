import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { X3OrderWriterConfig } from './x3-order-writer.config.js';

/** x3-order-writer: creates customers and sales orders in Sage X3 and replies with the outcome. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: X3OrderWriterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
