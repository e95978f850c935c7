import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { MdmConfig } from './mdm.config.js';

/** mdm: matches, dedupes and merges customers into golden records. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: MdmConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
