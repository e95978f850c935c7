import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { AppModule } from './app.module.js';
import { SalesforceOrg } from './org/salesforce-org.service.js';
import { sandboxSalesforceConfigSchema, type SandboxSalesforceConfig } from './sandbox-salesforce.config.js';

export interface RunningSandboxSalesforce {
  readonly service: ServiceApp<SandboxSalesforceConfig>;
  /** Base URL the sandbox answers at (instance_url). */
  readonly url: string;
  readonly org: SalesforceOrg;
  close(): Promise<void>;
}

/** Builds and starts the Salesforce sandbox in this process (tests, embedding); `main.ts` runs it as a service. */
export async function startSandboxSalesforce(env: NodeJS.ProcessEnv): Promise<RunningSandboxSalesforce> {
  const service = await createServiceApp({
    service: 'sandbox-salesforce',
    configSchema: sandboxSalesforceConfigSchema,
    module: (config: SandboxSalesforceConfig) => AppModule.forRoot(config),
    // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
    access: 'none',
    env,
  });
  await service.listen();
  const org = service.nest.get(SalesforceOrg);
  return { service, url: org.baseUrl, org, close: () => service.shutdown() };
}
