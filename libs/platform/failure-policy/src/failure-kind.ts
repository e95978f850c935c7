/**
 * What a failure means for the work that hit it — the one vocabulary every retry decision in the
 * pipeline uses (consumer runner, connectors, writers, pollers):
 *
 * - `transient`: the same work may succeed if tried again soon (network, broker or database outage,
 *   5xx, a locked record); retried with back-off, a bounded number of times, then dead-lettered.
 * - `throttled`: a limit says "not now" (Pardot 66/122, Salesforce REQUEST_LIMIT_EXCEEDED, X3 refusing
 *   web services); the work waits (for `retryAfterMs` when known) without using up its attempts, up to
 *   its own deadline, and is never dropped.
 * - `permanent-data`: this record can never succeed as it is (a validation rule, a value too long, an
 *   unknown product); dead-lettered at once with the target's error, re-drivable after a fix.
 * - `permanent-config`: nothing will succeed until an operator fixes the setup (credentials, a missing
 *   field, permissions); dead-lettered at once, alerted on, re-drivable after the fix.
 */
export type FailureKind = 'transient' | 'throttled' | 'permanent-data' | 'permanent-config';

export const FAILURE_KINDS: readonly FailureKind[] = [
  'transient',
  'throttled',
  'permanent-data',
  'permanent-config',
];

/** The verdict on one failure: its kind, the rule that decided it, and a wait the failure asked for. */
export interface FailureClassification {
  readonly kind: FailureKind;
  /** Which rule decided, in words (for logs and dead letters): "Pardot error 183 with HTTP 503". */
  readonly rule: string;
  /** For `throttled` (and some `transient`) failures: how long to wait before the next try, when known. */
  readonly retryAfterMs?: number;
}

/**
 * An error that carries its own verdict (connector errors, back-pressure, non-retriable domain
 * errors). `classifyFailure` trusts it before looking at the error's shape.
 */
export interface SelfClassifiedFailure {
  readonly failureKind: FailureKind;
  readonly retryAfterMs?: number;
}

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === 'string' && (FAILURE_KINDS as readonly string[]).includes(value);
}

/** Permanent failures are dead-lettered at once: retrying cannot help. */
export function isPermanent(kind: FailureKind | FailureClassification): boolean {
  const k = typeof kind === 'string' ? kind : kind.kind;
  return k === 'permanent-data' || k === 'permanent-config';
}

/** Transient and throttled failures are tried again (bounded). */
export function isRetryable(kind: FailureKind | FailureClassification): boolean {
  return !isPermanent(kind);
}

export function classified(kind: FailureKind, rule: string, retryAfterMs?: number): FailureClassification {
  return retryAfterMs === undefined
    ? { kind, rule }
    : { kind, rule, retryAfterMs: Math.max(0, retryAfterMs) };
}
