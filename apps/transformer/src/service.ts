import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { transformerConfigSchema } from './transformer.config.js';

await bootstrapService({
  service: 'transformer',
  configSchema: transformerConfigSchema,
  module: (config) => AppModule.register(config),
});
