import type { AuditEntry, AuditSink } from '@pardot-x3/access';
import { TOPICS, type AuditEntry as AuditEvent } from '@pardot-x3/canonical';
import type { Messaging } from '@pardot-x3/messaging';

/**
 * Publishes the audit entries of a service's operator actions on `platform.audit.recorded.v1`
 * (the service runtime's `AuditTrail` finds it under the AUDIT_SINK token). Keyed by the actor, so
 * one actor's actions stay in order.
 */
export class AuditTopicSink implements AuditSink {
  constructor(private readonly messaging: Messaging) {}

  async record(entry: AuditEntry): Promise<void> {
    const event: AuditEvent = { ...entry, outcome: entry.outcome.toUpperCase() as AuditEvent['outcome'] };
    await this.messaging.producer.send(TOPICS.platformAuditRecordedV1, event);
  }
}
