/**
 * One dependency a service needs before it can do useful work (Kafka, the schema registry, the
 * database). Modules contribute checks; `GET /health/ready` runs all of them.
 */
export interface ReadinessCheck {
  /** Names the dependency in `/health/ready`, e.g. "kafka", "schema-registry", "database". */
  readonly name: string;
  /** Resolves when the dependency answers; rejects with an Error whose message says why it does not. */
  check(): Promise<void>;
  /** Releases connections the check keeps open; called once, after the HTTP server has closed. */
  close?(): Promise<void>;
}

export type CheckResult = { readonly status: 'up' } | { readonly status: 'down'; readonly reason: string };

/**
 * The body of `/health/ready`: `ready` (200) when every check passed; otherwise 503 with
 * `not_ready` (some check failed; each failing one names its reason) or `draining` (shutting down).
 */
export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready' | 'draining';
  readonly checks: Readonly<Record<string, CheckResult>>;
}
