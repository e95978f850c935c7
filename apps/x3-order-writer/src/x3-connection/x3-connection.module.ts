import { Global, Module } from '@nestjs/common';
import { createLogger } from '@pardot-x3/observability';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import { X3Client } from '@pardot-x3/x3-connector';
import type { X3OrderWriterConfig } from '../x3-order-writer.config.js';

/** The Sage X3 REST client of the service (Basic auth, retries of transient failures, metrics). */
@Global()
@Module({
  providers: [
    {
      provide: X3Client,
      inject: [SERVICE_CONFIG],
      useFactory: (config: X3OrderWriterConfig) =>
        X3Client.fromConfig(config, {
          logger: createLogger({ service: 'x3-order-writer', level: config.LOG_LEVEL }),
        }),
    },
  ],
  exports: [X3Client],
})
export class X3ConnectionModule {}
