import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { mdmConfigSchema } from './mdm.config.js';

await bootstrapService({
  service: 'mdm',
  configSchema: mdmConfigSchema,
  module: (config) => AppModule.register(config),
});
