import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { salesforceIngestConfigSchema } from './salesforce-ingest.config.js';

await bootstrapService({
  service: 'salesforce-ingest',
  configSchema: salesforceIngestConfigSchema,
  module: (config) => AppModule.register(config),
});
