import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type MiddlewareConsumer,
  type ModuleMetadata,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector } from '../faults/fault-injector.service.js';
import { DEFAULT_LEDGER_CAPACITY, WriteLedger } from '../ledger/write-ledger.service.js';
import { DEFAULT_REQUEST_LOG_CAPACITY, RequestLog } from '../requests/request-log.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { SANDBOX_ADMIN_OPTIONS } from './sandbox-admin.constants.js';
import { SandboxAdminController } from './sandbox-admin.controller.js';
import type { SandboxAdminOptions } from './sandbox-admin.options.js';
import { SandboxFaultMiddleware, SandboxTrafficMiddleware } from './sandbox-traffic.middleware.js';

export interface SandboxAdminAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: InjectionToken[];
  readonly useFactory: (...args: never[]) => SandboxAdminOptions | Promise<SandboxAdminOptions>;
}

/**
 * The part every sandbox shares: the admin API under /__admin (seed, reset, faults, ledger, request
 * log) and, in front of every other route, fault injection and the write ledger. Global: the system's
 * own modules can inject WriteLedger, FaultInjector, RequestLog and use AdminTokenGuard.
 *
 * The traffic middleware's first phase is mounted on the HTTP server when the module is created, so
 * it runs before body parsing and routing: a write with a malformed body or to an unknown path is in
 * the ledger too. Faults are applied in the second phase, after body parsing.
 */
@Module({})
export class SandboxAdminModule implements NestModule {
  constructor(adapterHost: HttpAdapterHost, traffic: SandboxTrafficMiddleware) {
    adapterHost.httpAdapter?.use(
      (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
        traffic.observe(req, res, next);
      },
    );
  }

  static forRoot(options: SandboxAdminOptions): DynamicModule {
    return SandboxAdminModule.build([{ provide: SANDBOX_ADMIN_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: SandboxAdminAsyncOptions): DynamicModule {
    return SandboxAdminModule.build(
      [{ provide: SANDBOX_ADMIN_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }],
      options.imports,
    );
  }

  private static build(optionProviders: Provider[], imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: SandboxAdminModule,
      global: true,
      imports,
      controllers: [SandboxAdminController],
      providers: [
        ...optionProviders,
        {
          provide: WriteLedger,
          useFactory: (o: SandboxAdminOptions) =>
            new WriteLedger(o.system, o.ledgerCapacity ?? DEFAULT_LEDGER_CAPACITY),
          inject: [SANDBOX_ADMIN_OPTIONS],
        },
        {
          provide: FaultInjector,
          useFactory: (o: SandboxAdminOptions) => new FaultInjector(o.faultSeed ?? 1),
          inject: [SANDBOX_ADMIN_OPTIONS],
        },
        {
          provide: RequestLog,
          useFactory: (o: SandboxAdminOptions) =>
            new RequestLog(o.requestLogCapacity ?? DEFAULT_REQUEST_LOG_CAPACITY),
          inject: [SANDBOX_ADMIN_OPTIONS],
        },
        AdminTokenGuard,
        SandboxTrafficMiddleware,
        SandboxFaultMiddleware,
      ],
      exports: [SANDBOX_ADMIN_OPTIONS, WriteLedger, FaultInjector, RequestLog, AdminTokenGuard],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SandboxFaultMiddleware).forRoutes('*');
  }
}
