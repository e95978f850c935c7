import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AUDIT_SINK, type AuditEntry, type AuditSink } from '@pardot-x3/access';
import type { Logger } from '@pardot-x3/observability';
import { RUNTIME_LOGGER, SERVICE_INFO, type ServiceInfo } from '../service-runtime.constants.js';

export type AuditInput = Omit<AuditEntry, 'auditId' | 'at' | 'service'>;

/**
 * The audit trail of operator actions: one structured log line (`audit: true`) per action, and the
 * same entry on the Kafka audit topic when the service has a sink (the messaging module provides one).
 * A failing sink is logged, never fails the request.
 */
@Injectable()
export class AuditTrail {
  private sink: AuditSink | null | undefined;

  constructor(
    @Inject(RUNTIME_LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    private readonly moduleRef: ModuleRef,
  ) {}

  record(input: AuditInput): void {
    const entry: AuditEntry = { auditId: randomUUID(), at: new Date(), service: this.info.name, ...input };
    this.logger.info(
      { audit: true, ...entry, at: entry.at.toISOString() },
      `audit: ${entry.actorId} ${entry.action} → ${entry.outcome} (${entry.statusCode})`,
    );
    const sink = this.resolveSink();
    sink?.record(entry).catch((error: unknown) => {
      this.logger.error(
        { err: error, auditId: entry.auditId },
        'audit entry not published on the audit topic',
      );
    });
  }

  private resolveSink(): AuditSink | null {
    if (this.sink === undefined) {
      try {
        this.sink = this.moduleRef.get<AuditSink>(AUDIT_SINK, { strict: false });
      } catch {
        this.sink = null;
      }
    }
    return this.sink;
  }
}
