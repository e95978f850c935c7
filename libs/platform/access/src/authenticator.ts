import { API_KEY_PREFIX, ApiKeyVerifier } from './api-keys.js';
import { TokenRejectedError, type OidcVerifier } from './oidc-verifier.js';
import type { Principal } from './principal.js';

/** The header machines send their API key in. */
export const API_KEY_HEADER = 'x-api-key';

/** What a 401 says is needed. */
export const CREDENTIALS_REQUIRED =
  'credentials are required: send Authorization: Bearer <token> or X-API-Key';

/** The `WWW-Authenticate` value of a 401 (RFC 6750 for bearer tokens, plus the API key header). */
export function wwwAuthenticate(error?: 'invalid_token' | 'invalid_request'): string {
  const bearer = `Bearer realm="pardot-x3"${error ? `, error="${error}"` : ''}`;
  return `${bearer}, ApiKey realm="pardot-x3", header="X-API-Key"`;
}

export interface PresentedCredentials {
  /** The `Authorization` header. */
  readonly authorization?: string;
  /** The `X-API-Key` header. */
  readonly apiKey?: string;
}

export type AuthenticationResult =
  | { readonly outcome: 'authenticated'; readonly principal: Principal }
  | { readonly outcome: 'missing'; readonly message: string }
  | { readonly outcome: 'invalid'; readonly message: string };

/**
 * Turns request credentials into a principal: `X-API-Key: px3k_…` (machines), or
 * `Authorization: Bearer <JWT>` (people, through the OIDC provider; `Bearer px3k_…` is an API key
 * too). X-API-Key wins when both are sent (the Authorization header may carry a route's own token).
 * Knows nothing of HTTP frameworks.
 */
export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeyVerifier,
    private readonly oidc?: OidcVerifier,
  ) {}

  /** For the boot log: what is accepted (never the keys). */
  describe(): { apiKeys: number; oidcIssuer: string | null } {
    return { apiKeys: this.apiKeys.size, oidcIssuer: this.oidc?.issuer ?? null };
  }

  /** True when no credential at all can pass (no key listed, no OIDC provider): every protected route answers 401. */
  get acceptsNothing(): boolean {
    return this.apiKeys.size === 0 && !this.oidc;
  }

  async authenticate(credentials: PresentedCredentials): Promise<AuthenticationResult> {
    const apiKey = credentials.apiKey?.trim();
    if (apiKey) return this.byApiKey(apiKey, 'the X-API-Key is not valid');
    const authorization = credentials.authorization?.trim();
    if (!authorization) return { outcome: 'missing', message: CREDENTIALS_REQUIRED };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1])
      return {
        outcome: 'invalid',
        message: `Authorization must be "Bearer <token>"; ${CREDENTIALS_REQUIRED}`,
      };
    const token = match[1];
    if (token.startsWith(API_KEY_PREFIX)) return this.byApiKey(token, 'the API key is not valid');
    if (!this.oidc)
      return {
        outcome: 'invalid',
        message: 'bearer tokens are not accepted here (no OIDC provider is configured): send X-API-Key',
      };
    try {
      return { outcome: 'authenticated', principal: await this.oidc.verify(token) };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { outcome: 'invalid', message: error.message };
      throw error;
    }
  }

  private byApiKey(key: string, rejected: string): AuthenticationResult {
    const principal = this.apiKeys.verify(key);
    return principal ? { outcome: 'authenticated', principal } : { outcome: 'invalid', message: rejected };
  }
}
