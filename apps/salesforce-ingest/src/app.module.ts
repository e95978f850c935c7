import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { SalesforceIngestConfig } from './salesforce-ingest.config.js';

/** salesforce-ingest: reads Salesforce CDC, webhooks and SOQL polls and Pardot changes; emits source events. One module per use case is added to `imports`. */
@Module({})
export class AppModule {
  static register(config: SalesforceIngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.register(config)],
    };
  }
}
