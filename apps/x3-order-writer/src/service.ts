import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { x3OrderWriterConfigSchema } from './x3-order-writer.config.js';

await bootstrapService({
  service: 'x3-order-writer',
  configSchema: x3OrderWriterConfigSchema,
  module: (config) => AppModule.register(config),
});
