import type { SandboxLimitKind } from '../sandbox.types.js';

/**
 * A fault to inject into the requests whose "METHOD /path" matches `route` (see route-glob.util.ts).
 * Effects combine: the latency of every matching rule is added, then the first matching rule with an
 * outcome (dropConnection, limit, or an error status) whose `errorRate` draw hits answers the request.
 */
export interface FaultRule {
  readonly id: string;
  /** Glob over "METHOD /path", e.g. "PATCH /services/data/*\/sobjects/*" or "/api1/*". */
  readonly route: string;
  /** Delay before the request is served (or answered by the outcome), in milliseconds. */
  readonly latencyMs?: number;
  /** Share of matching requests that get the outcome, 0–1 (default 1 when an outcome is set). */
  readonly errorRate?: number;
  /** Answer with this HTTP status in the system's error dialect (or with `body` when given). */
  readonly status?: number;
  /** Exact body to send with `status` (JSON), instead of the system's rendering. */
  readonly body?: unknown;
  /** Destroy the TCP connection without an answer (the client sees a reset / "socket hang up"). */
  readonly dropConnection?: boolean;
  /**
   * Serve the request — its effect happens — then destroy the connection instead of sending the
   * answer: the client sees a reset and cannot tell whether the write was applied (apis.md §2.7, "a
   * timed-out write may still have been applied").
   */
  readonly dropResponse?: boolean;
  /** Answer as the system does when this limit is exhausted (e.g. Pardot error 122 / 66). */
  readonly limit?: SandboxLimitKind;
}

/** A rule as given to `FaultInjector.add()`: the id is generated when absent. */
export type FaultRuleInput = Omit<FaultRule, 'id'> & { readonly id?: string };

/** What the fault injector decided for one request. */
export interface FaultDecision {
  /** Total latency to add (0 when none). */
  readonly latencyMs: number;
  readonly latencyRuleIds: readonly string[];
  readonly outcome?: FaultOutcome;
}

export type FaultOutcome =
  | { readonly kind: 'drop'; readonly ruleId: string }
  | { readonly kind: 'drop-response'; readonly ruleId: string }
  | { readonly kind: 'limit'; readonly ruleId: string; readonly limit: SandboxLimitKind }
  | { readonly kind: 'error'; readonly ruleId: string; readonly status: number; readonly body?: unknown };
