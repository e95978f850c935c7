import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SandboxAdminModule } from '@pardot-x3/sandbox-kit';
import { PardotAdminController } from './admin/pardot-admin.controller.js';
import { pardotErrorDialect } from './errors/pardot-error-dialect.js';
import { PardotExceptionFilter } from './errors/pardot-exception.filter.js';
import { PardotApiUsage } from './limits/pardot-api-usage.service.js';
import { PardotStateModule } from './pardot-state.module.js';
import { admitPardotRequest, isPardotWrite, pardotClientId } from './pardot-traffic.util.js';
import type { SandboxPardotConfig } from './sandbox-pardot.config.js';
import { PardotStore } from './store/pardot-store.service.js';
import { ProspectsV4Controller } from './v4/prospects-v4.controller.js';
import { CustomFieldsV5Controller } from './v5/custom-fields-v5.controller.js';
import { ExternalActivitiesV5Controller } from './v5/external-activities-v5.controller.js';
import { PageTokenStore } from './v5/page-token.store.js';
import { ProspectsV5Controller } from './v5/prospects-v5.controller.js';
import { VisitorActivitiesV5Controller } from './v5/visitor-activities-v5.controller.js';

/**
 * The Pardot (Account Engagement) sandbox: API v5 and the legacy v4 prospect API on one in-memory
 * business unit, with Pardot's authentication, error codes and limits, plus the kit's admin API.
 */
@Module({})
export class AppModule {
  static register(config: SandboxPardotConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PardotStateModule.register(config),
        SandboxAdminModule.forRootAsync({
          inject: [PardotStore, PardotApiUsage, PageTokenStore],
          useFactory: (store: PardotStore, usage: PardotApiUsage, tokens: PageTokenStore) => ({
            system: 'pardot',
            token: config.SANDBOX_ADMIN_TOKEN,
            seed: (seed, counts) => {
              store.seed(seed, counts);
              tokens.clear();
            },
            reset: () => {
              store.reset();
              usage.reset();
              tokens.clear();
            },
            state: () => ({
              businessUnitId: config.PARDOT_BUSINESS_UNIT_ID,
              ...store.summary(),
              apiUsage: usage.snapshot(),
            }),
            dialect: pardotErrorDialect(config.PARDOT_LIMIT_HTTP_STATUS),
            identifyClient: (request) => pardotClientId(request, config.SANDBOX_TOKEN_SECRET),
            isWrite: isPardotWrite,
            admit: (request) => admitPardotRequest(request, usage, config.PARDOT_LIMIT_HTTP_STATUS),
          }),
        }),
      ],
      controllers: [
        ProspectsV5Controller,
        CustomFieldsV5Controller,
        VisitorActivitiesV5Controller,
        ExternalActivitiesV5Controller,
        ProspectsV4Controller,
        PardotAdminController,
      ],
      providers: [{ provide: APP_FILTER, useClass: PardotExceptionFilter }],
    };
  }
}
