/**
 * A service built on the runtime with behaviour the six shells do not have yet: a slow request, work
 * that stops at shutdown, a shutdown that can hang, and crashes on request.
 * service-runtime-lifecycle.e2e-spec.ts runs it as its own process against the built libraries, with
 * Node's TypeScript type stripping (so no decorator syntax here).
 */
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { z } from 'zod';
import { booleanFlag, httpServerConfigSchemaWithPort } from '@pardot-x3/config';
import { bootstrapService, Public } from '@pardot-x3/service-runtime';

const configSchema = httpServerConfigSchemaWithPort(16010).extend({
  FIXTURE_HANG_ON_SHUTDOWN: booleanFlag.default(false).describe('never finish the shutdown hook'),
  FIXTURE_UNRESOLVABLE_PROVIDER: booleanFlag.default(false).describe('add a provider Nest cannot build'),
  FIXTURE_SLOW_REQUEST_MS: z.coerce.number().int().default(1_500).describe('duration of GET /slow'),
});
type FixtureConfig = z.output<typeof configSchema>;

/**
 * The fixture logs through the service's own logger, like a real module: its lines and the runtime's
 * share one stream, so the test can rely on their order.
 */
const fixtureLog = new Logger('LifecycleFixture');

function decorateMethod(target: Type<unknown>, method: string, decorator: MethodDecorator): void {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, method);
  if (!descriptor) throw new Error(`${target.name}.${method} does not exist`);
  Reflect.decorate([decorator], target.prototype, method, descriptor);
}

function fixtureModule(config: FixtureConfig): Type<unknown> {
  class LifecycleController {
    async slow(): Promise<{ finished: true }> {
      fixtureLog.log('fixture: slow request started');
      await sleep(config.FIXTURE_SLOW_REQUEST_MS);
      return { finished: true };
    }

    exception(): { scheduled: true } {
      setTimeout(() => {
        throw new Error('fixture: boom from a timer');
      }, 10);
      return { scheduled: true };
    }

    rejection(): { scheduled: true } {
      void Promise.reject(new Error('fixture: a promise nobody awaited'));
      return { scheduled: true };
    }
  }
  decorateMethod(LifecycleController, 'slow', Get('slow'));
  decorateMethod(LifecycleController, 'exception', Get('crash/exception'));
  decorateMethod(LifecycleController, 'rejection', Get('crash/rejection'));
  Controller()(LifecycleController);
  // Lifecycle behaviour, not access: docs/security.md and the access tests cover that.
  Public('test routes of the lifecycle fixture')(LifecycleController);

  class WorkerService implements BeforeApplicationShutdown {
    async beforeApplicationShutdown(): Promise<void> {
      fixtureLog.log('fixture: worker stopping');
      if (config.FIXTURE_HANG_ON_SHUTDOWN) await new Promise(() => undefined);
      await sleep(100);
      fixtureLog.log('fixture: worker stopped');
    }
  }
  Injectable()(WorkerService);

  class NeedsMissingDependency {
    readonly missing: unknown;
    constructor(missing: unknown) {
      this.missing = missing;
    }
  }
  Inject('NOT_PROVIDED_ANYWHERE')(NeedsMissingDependency, undefined, 0);
  Injectable()(NeedsMissingDependency);

  class FixtureModule {}
  const providers = config.FIXTURE_UNRESOLVABLE_PROVIDER
    ? [WorkerService, NeedsMissingDependency]
    : [WorkerService];
  Module({ controllers: [LifecycleController], providers })(FixtureModule);
  return FixtureModule;
}

await bootstrapService({
  service: 'lifecycle-fixture',
  configSchema,
  module: (config) => fixtureModule(config),
});
