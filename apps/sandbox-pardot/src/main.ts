import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { sandboxPardotConfigSchema } from './sandbox-pardot.config.js';

await bootstrapService({
  service: 'sandbox-pardot',
  configSchema: sandboxPardotConfigSchema,
  module: (config) => AppModule.register(config),
  // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
  access: 'none',
});
