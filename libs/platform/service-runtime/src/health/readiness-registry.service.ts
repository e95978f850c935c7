import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { redactSecretsInText, type Logger } from '@pardot-x3/observability';
import { RUNTIME_LOGGER } from '../service-runtime.constants.js';
import type { CheckResult, ReadinessCheck, ReadinessReport } from './readiness-check.types.js';

export const READINESS_CHECK_TIMEOUT_MS = Symbol.for('pardot-x3.readiness-check-timeout-ms');

/**
 * Holds every readiness check of the process and evaluates them together, each with a short timeout.
 * Evaluations that overlap share one run, so a burst of probes never multiplies load on Kafka or the
 * database. Once draining (shutdown started), the service reports 503 without running checks.
 */
@Injectable()
export class ReadinessRegistry implements OnApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;
  private running?: Promise<ReadinessReport>;
  private lastStatus?: ReadinessReport['status'];
  private readonly logger: Logger;

  constructor(
    @Inject(READINESS_CHECK_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(RUNTIME_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'Readiness' });
  }

  /** Adds a check; names are unique per process. */
  register(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) {
      throw new Error(
        `A readiness check named "${check.name}" is already registered; give each check its own name`,
      );
    }
    this.checks.set(check.name, check);
  }

  /** Names of the registered checks, in registration order. */
  names(): string[] {
    return [...this.checks.keys()];
  }

  /** From now on readiness is 503 `draining`: load balancers and Kubernetes stop sending traffic. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  evaluate(): Promise<ReadinessReport> {
    if (this.draining) return Promise.resolve({ status: 'draining', checks: {} });
    this.running ??= this.runChecks().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.checks.values()].map(async (check) => {
        try {
          await check.close?.();
        } catch (error) {
          this.logger.warn({ check: check.name, err: error }, 'closing a readiness check failed');
        }
      }),
    );
  }

  private async runChecks(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check) => [check.name, await this.runOne(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result.status === 'up') ? 'ready' : 'not_ready';
    const report: ReadinessReport = { status: this.draining ? 'draining' : status, checks };
    this.logTransition(report);
    return report;
  }

  private async runOne(check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const answer = Promise.resolve().then(() => check.check());
    // A check that answers after its timeout must not surface as an unhandled rejection.
    answer.catch(() => undefined);
    try {
      await Promise.race([answer, timeout]);
      return { status: 'up' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'down', reason: redactSecretsInText(message || 'failed without a reason') };
    } finally {
      clearTimeout(timer);
    }
  }

  /** One log line when readiness changes, not one per probe. */
  private logTransition(report: ReadinessReport): void {
    if (report.status === this.lastStatus) return;
    const first = this.lastStatus === undefined;
    this.lastStatus = report.status;
    if (report.status === 'ready') {
      this.logger.info({ checks: Object.keys(report.checks) }, first ? 'ready' : 'ready again');
    } else if (report.status === 'not_ready') {
      const failing = Object.fromEntries(
        Object.entries(report.checks).filter(([, r]) => r.status === 'down'),
      );
      this.logger.warn({ failing }, 'not ready');
    }
  }
}
