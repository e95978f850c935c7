#!/usr/bin/env node
import 'reflect-metadata';
import { bootstrapService } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { sandboxSalesforceConfigSchema } from './sandbox-salesforce.config.js';

await bootstrapService({
  service: 'sandbox-salesforce',
  configSchema: sandboxSalesforceConfigSchema,
  module: (config) => AppModule.forRoot(config),
  // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
  access: 'none',
});
