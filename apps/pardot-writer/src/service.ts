import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { pardotWriterConfigSchema } from './pardot-writer.config.js';

await bootstrapService({
  service: 'pardot-writer',
  configSchema: pardotWriterConfigSchema,
  module: (config) => AppModule.register(config),
});
