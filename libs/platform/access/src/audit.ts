import type { Role } from './roles.js';

/** How an audited action ended. */
export type AuditOutcome = 'succeeded' | 'failed' | 'denied' | 'unauthenticated';

/** One operator action: who, what, when, how it ended. Logged as a line and published on the audit topic. */
export interface AuditEntry {
  readonly auditId: string;
  readonly at: Date;
  readonly service: string;
  /** `api-key:<name>`, `oidc:<sub>`, or `anonymous` for requests without valid credentials. */
  readonly actorId: string;
  readonly actorName: string | null;
  readonly actorRole: Role | null;
  /** `POST /salesforce/backfill`: the method and the route pattern. */
  readonly action: string;
  /** The path as requested (ids included, no query string). */
  readonly path: string;
  readonly outcome: AuditOutcome;
  readonly statusCode: number;
  /** The error message of a failed or denied action. */
  readonly detail: string | null;
}

/** Where audit entries go besides the log (the Kafka audit topic in a pipeline service). */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

/** The injection token of the optional `AuditSink` (provided by the messaging module). */
export const AUDIT_SINK = Symbol.for('pardot-x3.audit-sink');
