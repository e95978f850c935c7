import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SandboxAdminModule } from '@pardot-x3/sandbox-kit';
import { X3AdminController } from './admin/x3-admin.controller.js';
import { basicAuthUser } from './auth/x3-basic-auth.guard.js';
import { x3ErrorDialect } from './errors/x3-error-dialect.js';
import { X3ExceptionFilter } from './errors/x3-exception.filter.js';
import { X3RestController } from './rest/x3-rest.controller.js';
import type { SandboxX3Config } from './sandbox-x3.config.js';
import { X3Store } from './store/x3-store.service.js';
import { WebhookEmitter } from './webhooks/webhook-emitter.service.js';
import { X3StateModule } from './x3-state.module.js';

/**
 * The Sage X3 sandbox: the REST Web API (/api1) over in-memory folders, with Basic authentication,
 * X3's business errors, a signed webhook emitter for changes, and the kit's admin API.
 */
@Module({})
export class AppModule {
  static register(config: SandboxX3Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        X3StateModule.register(config),
        SandboxAdminModule.forRootAsync({
          inject: [X3Store, WebhookEmitter],
          useFactory: (store: X3Store, webhooks: WebhookEmitter) => ({
            system: 'x3',
            token: config.SANDBOX_ADMIN_TOKEN,
            seed: (seed, counts) => store.seed(seed, counts),
            reset: () => {
              store.reset();
              webhooks.reset();
            },
            state: () => ({ ...store.summary(), webhookTargets: webhooks.listTargets().length }),
            dialect: x3ErrorDialect,
            identifyClient: (request) => basicAuthUser(request.headers.authorization)?.user,
          }),
        }),
      ],
      controllers: [X3RestController, X3AdminController],
      providers: [{ provide: APP_FILTER, useClass: X3ExceptionFilter }],
    };
  }
}
