import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PardotApiUsage } from './limits/pardot-api-usage.service.js';
import { SANDBOX_PARDOT_CONFIG, type SandboxPardotConfig } from './sandbox-pardot.config.js';
import { PardotStore } from './store/pardot-store.service.js';
import { ProspectService } from './store/prospect.service.js';
import { PageTokenStore } from './v5/page-token.store.js';

/** The sandbox's state and limits, one instance each, available to every module (admin included). */
@Global()
@Module({})
export class PardotStateModule {
  static register(config: SandboxPardotConfig): DynamicModule {
    const providers = [
      { provide: SANDBOX_PARDOT_CONFIG, useValue: config },
      PardotStore,
      PardotApiUsage,
      PageTokenStore,
      ProspectService,
    ];
    return {
      module: PardotStateModule,
      providers,
      exports: [SANDBOX_PARDOT_CONFIG, PardotStore, PardotApiUsage, PageTokenStore, ProspectService],
    };
  }
}
