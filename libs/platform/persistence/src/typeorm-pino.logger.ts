import type { Logger as PinoLogger } from '@pardot-x3/observability';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's log lines into the service's JSON log. Queries are not logged (too noisy, and their
 * parameters may hold personal data); failed and slow queries are, without their parameters.
 */
export class TypeOrmPinoLogger implements TypeOrmLogger {
  private readonly logger: PinoLogger;

  constructor(logger: PinoLogger) {
    this.logger = logger;
  }

  logQuery(): void {
    // Deliberately silent.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(
      { err: error instanceof Error ? error : new Error(error), query },
      'database query failed',
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query }, 'slow database query');
  }

  logSchemaBuild(message: string): void {
    this.logger.info({ component: 'typeorm' }, message);
  }

  logMigration(message: string): void {
    this.logger.info({ component: 'migrations' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ component: 'typeorm' }, String(message));
    else this.logger.debug({ component: 'typeorm' }, String(message));
  }
}
