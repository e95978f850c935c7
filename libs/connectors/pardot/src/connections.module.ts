import { Global, Module } from '@nestjs/common';
import type { HttpServerConfig } from '@pardot-x3/config';
import { createLogger } from '@pardot-x3/observability';
import { SalesforceClient, type SalesforceConfig } from '@pardot-x3/salesforce-connector';
import { SERVICE_CONFIG, SERVICE_INFO, type ServiceInfo } from '@pardot-x3/service-runtime';
import { DataSource } from 'typeorm';
import { PardotClient } from './pardot-client.js';
import type { PardotConfig } from './pardot.config.js';

/** What the connections need of a service's configuration. */
export type ConnectionsConfig = SalesforceConfig & PardotConfig & Pick<HttpServerConfig, 'LOG_LEVEL'>;

/**
 * The Salesforce and Pardot clients of a service (salesforce-ingest, pardot-writer), shared by every
 * flow of it: one OAuth session, and one Pardot rate limiter (≤ 5 concurrent calls and the daily budget
 * of the business unit, in PostgreSQL, shared with every other process). Import it once, in the
 * service's app module.
 */
@Global()
@Module({
  providers: [
    {
      provide: SalesforceClient,
      inject: [SERVICE_CONFIG, SERVICE_INFO],
      useFactory: (config: ConnectionsConfig, info: ServiceInfo) =>
        SalesforceClient.fromConfig(config, {
          logger: createLogger({ service: info.name, level: config.LOG_LEVEL }),
        }),
    },
    {
      provide: PardotClient,
      inject: [SERVICE_CONFIG, SERVICE_INFO, SalesforceClient, DataSource],
      useFactory: (
        config: ConnectionsConfig,
        info: ServiceInfo,
        salesforce: SalesforceClient,
        dataSource: DataSource,
      ) =>
        PardotClient.fromConfig(config, {
          auth: salesforce.auth,
          dataSource,
          logger: createLogger({ service: info.name, level: config.LOG_LEVEL }),
        }),
    },
  ],
  exports: [SalesforceClient, PardotClient],
})
export class ConnectionsModule {}
