import { classifyFailure, networkErrorCode, type RetryPolicy } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
import {
  ExternalApiError,
  sanitizedCause,
  type ExternalApiErrorKind,
  type ExternalSystem,
} from './external-api.error.js';
import { observeExternalCall, type ExternalApiMetrics } from './external-api.metrics.js';
import { retryTransient } from './retry-policy.js';

/** How the systems are named in messages. */
const SYSTEM_NAMES: Readonly<Record<ExternalSystem, string>> = {
  salesforce: 'Salesforce',
  pardot: 'Pardot',
  x3: 'Sage X3',
};

/** A session with an access token. */
export interface AccessSession {
  readonly accessToken: string;
}

/** An OAuth token source (the Salesforce connector's `SalesforceTokenProvider` is one). */
export interface AccessTokenSource<S extends AccessSession = AccessSession> {
  session(): Promise<S>;
  /** Forgets a token the target refused, so that the next `session()` gets a new one. */
  invalidate(accessToken: string): void;
}

export interface HttpExchangeOptions {
  readonly system: ExternalSystem;
  readonly metrics: ExternalApiMetrics;
  readonly retry: RetryPolicy;
  readonly logger?: Logger;
  /** The connector's error for an attempt that got no answer (default `ExternalApiError`). */
  readonly unreachable?: (
    message: string,
    details: { operation: string; kind: ExternalApiErrorKind; cause: Error },
  ) => ExternalApiError;
}

export interface ExchangeSendOptions<S extends AccessSession = AccessSession> {
  /** The call creates something each time it is applied: an attempt that may have been applied is not repeated. */
  readonly notIdempotent?: boolean;
  /** The token of each attempt; renewed once when `refused` says the target refused it (401, expired session). */
  readonly auth?: {
    readonly tokens: AccessTokenSource<S>;
    readonly refused: (error: unknown) => boolean;
  };
  /**
   * A failure the retries gave up on that the connector can wait out (Pardot's spent daily budget):
   * resolves true once the call may be sent again, false to throw it.
   */
  readonly waitOut?: (error: unknown) => Promise<boolean>;
}

/**
 * The HTTP exchange every connector client shares: one logical call made of attempts (transient
 * failures and short throttles retried with jittered back-off by `retryTransient`, never an attempt of
 * a non-idempotent call that may have been applied), a refused token renewed once, and each HTTP
 * request observed (`px3_external_api_requests_total`, `px3_external_api_request_seconds`) with a
 * request that got no answer turned into an `ExternalApiError` classified by
 * `@pardot-x3/failure-policy`. The vendor's answer is read by the client (its error body, its limits
 * header).
 */
export class HttpExchange {
  constructor(private readonly options: HttpExchangeOptions) {}

  /** One logical call: `attempt` is sent with a session (when `auth` is given) until it succeeds or must fail. */
  async send<T, S extends AccessSession = AccessSession>(
    operation: string,
    attempt: (session: S | undefined) => Promise<T>,
    options: ExchangeSendOptions<S> = {},
  ): Promise<T> {
    const name = SYSTEM_NAMES[this.options.system];
    let tokenRenewed = false;
    for (;;) {
      let token: string | undefined;
      try {
        return await retryTransient(
          async () => {
            const session = options.auth ? await options.auth.tokens.session() : undefined;
            token = session?.accessToken;
            return attempt(session);
          },
          this.options.retry,
          {
            notIdempotent: options.notIdempotent,
            onRetry: (error, attemptNumber, delayMs) =>
              this.options.logger?.warn(
                { operation, attempt: attemptNumber, delayMs, status: error.status, code: error.code },
                `${name} call failed, trying again: ${error.message}`,
              ),
          },
        );
      } catch (error) {
        if (options.auth && token !== undefined && !tokenRenewed && options.auth.refused(error)) {
          // The token expired or was revoked: get a new one and send once more.
          tokenRenewed = true;
          options.auth.tokens.invalidate(token);
          this.options.logger?.info({ operation }, `${name} refused the access token; renewing it`);
          continue;
        }
        if (options.waitOut && (await options.waitOut(error))) continue;
        throw error;
      }
    }
  }

  /**
   * One HTTP request, observed: `request` resolves with the answer whatever its status (or throws when
   * none came back, which becomes a typed error: transient for a network failure).
   */
  async request<R extends { readonly status: number }>(
    operation: string,
    what: string,
    request: () => Promise<R>,
  ): Promise<R> {
    const started = process.hrtime.bigint();
    let response: R;
    try {
      response = await request();
    } catch (error) {
      observeExternalCall(this.options.metrics, this.options.system, operation, started, 'network_error');
      const code = networkErrorCode(error);
      const message = `${SYSTEM_NAMES[this.options.system]} could not be reached for ${what}: ${code ?? (error as Error).message}`;
      const details = {
        operation,
        kind: code ? ('transient' as const) : classifyFailure(error).kind,
        cause: sanitizedCause(error),
      };
      throw this.options.unreachable
        ? this.options.unreachable(message, details)
        : new ExternalApiError(message, { system: this.options.system, ...details });
    }
    observeExternalCall(this.options.metrics, this.options.system, operation, started, response.status);
    return response;
  }
}
