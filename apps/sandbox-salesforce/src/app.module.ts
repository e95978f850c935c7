import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { createLogger } from '@pardot-x3/observability';
import { SandboxAdminModule, type SandboxRequestInfo } from '@pardot-x3/sandbox-kit';
import { SalesforceAdminController } from './admin/salesforce-admin.controller.js';
import { SalesforceExceptionFilter } from './errors/salesforce-exception.filter.js';
import { parseRequestBody } from './http/request-body.util.js';
import { salesforceDialect } from './http/salesforce-dialect.util.js';
import { LimitsController } from './limits/limits.controller.js';
import { ClientCredentialsGrantUseCase } from './oauth/client-credentials-grant.use-case.js';
import { ConnectedApp } from './oauth/connected-app.service.js';
import { JwtBearerGrantUseCase } from './oauth/jwt-bearer-grant.use-case.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { SalesforceOrg } from './org/salesforce-org.service.js';
import { CollectionsController } from './rest/collections.controller.js';
import { QueryController } from './rest/query.controller.js';
import { RestApiInterceptor } from './rest/rest-api.interceptor.js';
import { bearerToken, callOptionsClient } from './rest/rest-call.util.js';
import { SObjectApiService } from './rest/sobject-api.service.js';
import { SObjectsController } from './rest/sobjects.controller.js';
import { ToolingController } from './rest/tooling.controller.js';
import { VersionsController } from './rest/versions.controller.js';
import { SANDBOX_SALESFORCE_CONFIG, type SandboxSalesforceConfig } from './sandbox-salesforce.config.js';
import { CometdController } from './streaming/cometd.controller.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Data writes for the ledger: not CometD polls, token requests, or collection retrieves by POST. */
function isWrite(request: SandboxRequestInfo): boolean {
  if (READ_METHODS.has(request.method)) return false;
  if (request.path.startsWith('/cometd') || request.path.startsWith('/services/oauth2')) return false;
  return !(request.method === 'POST' && /\/composite\/sobjects\/[^/]+$/.test(request.path));
}

/** The Salesforce sandbox: one org behind OAuth, the REST API, CometD and the admin API. */
@Module({})
export class AppModule {
  /** Mounted on the HTTP server at creation: after the kit's traffic middleware, before Nest's body parser. */
  constructor(adapterHost: HttpAdapterHost) {
    adapterHost.httpAdapter?.use(parseRequestBody);
  }

  static forRoot(config: SandboxSalesforceConfig): DynamicModule {
    const logger = createLogger({ service: 'sandbox-salesforce', level: config.LOG_LEVEL });
    // One module object for both imports, so the admin API and the routes share one org.
    const orgModule = OrgModule.forRoot(config);
    return {
      module: AppModule,
      imports: [
        SandboxAdminModule.forRootAsync({
          imports: [orgModule],
          inject: [SalesforceOrg, ConnectedApp],
          useFactory: (org: SalesforceOrg, app: ConnectedApp) => ({
            system: 'salesforce',
            token: config.SANDBOX_ADMIN_TOKEN,
            seed: (seed, counts) => org.seed(seed, counts),
            reset: () => {
              org.reset();
              app.reset();
            },
            state: () => org.state(),
            dialect: salesforceDialect(org.usage),
            isWrite,
            identifyClient: (request) => identifyClient(request, app),
          }),
        }),
        orgModule,
      ],
      controllers: [
        OAuthController,
        VersionsController,
        QueryController,
        CollectionsController,
        LimitsController,
        ToolingController,
        SObjectsController,
        CometdController,
        SalesforceAdminController,
      ],
      providers: [
        SObjectApiService,
        RestApiInterceptor,
        JwtBearerGrantUseCase,
        ClientCredentialsGrantUseCase,
        { provide: APP_FILTER, useValue: new SalesforceExceptionFilter(logger) },
      ],
    };
  }
}

/** The org and its connected app: one instance shared by the admin module and the routes. */
@Module({})
export class OrgModule {
  static forRoot(config: SandboxSalesforceConfig): DynamicModule {
    return {
      module: OrgModule,
      global: true,
      providers: [{ provide: SANDBOX_SALESFORCE_CONFIG, useValue: config }, SalesforceOrg, ConnectedApp],
      exports: [SANDBOX_SALESFORCE_CONFIG, SalesforceOrg, ConnectedApp],
    };
  }
}

/** Who called: the Sforce-Call-Options client, else the token's consumer key, else a client_id query parameter. */
function identifyClient(request: SandboxRequestInfo, app: ConnectedApp): string | undefined {
  const callClient = callOptionsClient(request.headers['sforce-call-options']);
  if (callClient) return callClient;
  const token = bearerToken(request.headers['authorization']);
  if (token) {
    const verification = app.verify(token);
    return verification.claims?.clientId;
  }
  const clientId = request.query['client_id'];
  return typeof clientId === 'string' ? clientId : undefined;
}
