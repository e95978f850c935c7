import { Global, Module } from '@nestjs/common';
import { createLogger } from '@pardot-x3/observability';
import { PardotClient } from '@pardot-x3/pardot-connector';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { PardotWriterConfig } from '../pardot-writer.config.js';

/**
 * The Salesforce and Pardot clients of the service, shared by every flow: one OAuth session, and one
 * Pardot rate limiter (≤ 5 concurrent calls and the daily budget of the business unit, in PostgreSQL,
 * shared with every other process).
 */
@Global()
@Module({
  providers: [
    {
      provide: SalesforceClient,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PardotWriterConfig) =>
        SalesforceClient.fromConfig(config, {
          logger: createLogger({ service: 'pardot-writer', level: config.LOG_LEVEL }),
        }),
    },
    {
      provide: PardotClient,
      inject: [SERVICE_CONFIG, SalesforceClient, DataSource],
      useFactory: (config: PardotWriterConfig, salesforce: SalesforceClient, dataSource: DataSource) =>
        PardotClient.fromConfig(config, {
          auth: salesforce.auth,
          dataSource,
          logger: createLogger({ service: 'pardot-writer', level: config.LOG_LEVEL }),
        }),
    },
  ],
  exports: [SalesforceClient, PardotClient],
})
export class ConnectionsModule {}
