import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { sandboxX3ConfigSchema } from './sandbox-x3.config.js';

await bootstrapService({
  service: 'sandbox-x3',
  configSchema: sandboxX3ConfigSchema,
  module: (config) => AppModule.register(config),
  // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
  access: 'none',
});
