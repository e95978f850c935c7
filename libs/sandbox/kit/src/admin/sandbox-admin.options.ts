import type { Logger } from '@pardot-x3/observability';
import type { ResolvedWorldCounts } from '../generator/world.types.js';
import type {
  SandboxAdmission,
  SandboxErrorDialect,
  SandboxRequestInfo,
} from '../http/sandbox-http.types.js';
import type { SandboxSystem } from '../sandbox.types.js';

/** What a sandbox gives `SandboxAdminModule.forRoot()`. */
export interface SandboxAdminOptions {
  readonly system: SandboxSystem;
  /** The value the `X-Admin-Token` header must carry on every /__admin request. */
  readonly token: string;
  /** Replaces the system's state with the world for this seed (counts already validated, defaults applied). */
  seed(seed: number, counts: ResolvedWorldCounts): void | Promise<void>;
  /** Back to the state the process started with (the kit also clears the ledger, faults and request log). */
  reset(): void | Promise<void>;
  /** A summary for GET /__admin/state (record counts, limits used, …). */
  state?(): unknown;
  /** How the system renders injected errors and exhausted limits (default: a generic JSON body). */
  readonly dialect?: SandboxErrorDialect;
  /** Who sent the request (OAuth client id, API user, Basic-auth user) for the ledger and request log. */
  identifyClient?(request: SandboxRequestInfo): string | undefined;
  /** Which requests the ledger records as writes (default: every method but GET, HEAD and OPTIONS). */
  isWrite?(request: SandboxRequestInfo): boolean;
  /** An admission check that runs before faults (e.g. a concurrency limit). */
  admit?(request: SandboxRequestInfo): SandboxAdmission;
  /** Path prefixes served without faults, ledger or request log (always: /__admin, /health, /metrics). */
  readonly passThroughPaths?: readonly string[];
  readonly ledgerCapacity?: number;
  readonly requestLogCapacity?: number;
  /** Seed of the stream fractional error rates draw from (default 1). */
  readonly faultSeed?: number;
  /**
   * Where one line per request goes (with client id and fault rule). Default none: service-runtime
   * already logs every request.
   */
  readonly logger?: Logger;
}
