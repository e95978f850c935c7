import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { x3IngestConfigSchema } from './x3-ingest.config.js';

await bootstrapService({
  service: 'x3-ingest',
  configSchema: x3IngestConfigSchema,
  module: (config) => AppModule.register(config),
});
