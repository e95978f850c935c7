import { Global, Module } from '@nestjs/common';
import { createLogger } from '@pardot-x3/observability';
import { PardotClient } from '@pardot-x3/pardot-connector';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import type { SalesforceIngestConfig } from '../salesforce-ingest.config.js';

/**
 * The Salesforce and Pardot clients of the service, shared by every use case: one OAuth session, and
 * the Pardot rate limiter shared (in PostgreSQL) with every other process of the business unit.
 */
@Global()
@Module({
  providers: [
    {
      provide: SalesforceClient,
      inject: [SERVICE_CONFIG],
      useFactory: (config: SalesforceIngestConfig) =>
        SalesforceClient.fromConfig(config, {
          logger: createLogger({ service: 'salesforce-ingest', level: config.LOG_LEVEL }),
        }),
    },
    {
      provide: PardotClient,
      inject: [SERVICE_CONFIG, SalesforceClient, DataSource],
      useFactory: (config: SalesforceIngestConfig, salesforce: SalesforceClient, dataSource: DataSource) =>
        PardotClient.fromConfig(config, {
          auth: salesforce.auth,
          dataSource,
          logger: createLogger({ service: 'salesforce-ingest', level: config.LOG_LEVEL }),
        }),
    },
  ],
  exports: [SalesforceClient, PardotClient],
})
export class ConnectionsModule {}
