import { createPrivateKey } from 'node:crypto';
import {
  ExternalApiError,
  externalApiMetrics,
  sanitizedCause,
  observeExternalCall,
  retryTransient,
  type ExternalApiMetrics,
} from '@pardot-x3/connector-kit';
import { DEFAULT_RETRY_POLICY, networkErrorCode, type RetryPolicy } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
import axios, { type AxiosInstance } from 'axios';
import { SignJWT } from 'jose';
import type { Registry } from 'prom-client';
import type { SalesforceCredentials } from './salesforce.config.js';
import {
  SalesforceAuthError,
  parseSalesforceErrors,
  salesforceErrorFromResponse,
} from './salesforce.error.js';

/** An OAuth access token and the org host it is valid for. */
export interface SalesforceSession {
  readonly accessToken: string;
  readonly instanceUrl: string;
  /** Identity URL `…/id/<orgId>/<userId>`, when the token endpoint returned it. */
  readonly identityUrl?: string;
}

/**
 * Gives Salesforce (and Pardot, which accepts the same token) a valid access token. Implemented by
 * `SalesforceAuth`; tests and other token sources may provide their own.
 */
export interface SalesforceTokenProvider {
  session(): Promise<SalesforceSession>;
  /** Forgets `accessToken` (it was refused with 401 / INVALID_SESSION_ID) so the next session() gets a new one. */
  invalidate(accessToken: string): void;
}

export interface SalesforceAuthOptions {
  /** OAuth host (`https://login.salesforce.com`, `https://test.salesforce.com`, My Domain). */
  readonly loginUrl: string;
  readonly credentials: SalesforceCredentials;
  /** Use this REST host instead of the token response's `instance_url` (e.g. behind a proxy). */
  readonly instanceUrl?: string;
  /** JWT `aud`; default: the login URL. */
  readonly audience?: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

const JWT_LIFETIME_SECONDS = 180;

/**
 * Our own OAuth 2.0 client for Salesforce: JWT bearer flow (RS256 assertion signed with the connected
 * app's private key) or client credentials. Caches the token, shares one in-flight request among
 * concurrent callers, and fetches a new one after `invalidate()`. No refresh token is involved.
 */
export class SalesforceAuth implements SalesforceTokenProvider {
  private current?: SalesforceSession;
  private pending?: Promise<SalesforceSession>;
  private readonly http: AxiosInstance;
  private readonly metrics: ExternalApiMetrics;
  private readonly loginUrl: string;

  constructor(private readonly options: SalesforceAuthOptions) {
    this.loginUrl = options.loginUrl.replace(/\/+$/, '');
    this.http = axios.create({ timeout: options.timeoutMs ?? 30_000, validateStatus: () => true });
    this.metrics = externalApiMetrics(options.registry);
  }

  async session(): Promise<SalesforceSession> {
    if (this.current) return this.current;
    this.pending ??= this.requestToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined;
  }

  private async requestToken(): Promise<SalesforceSession> {
    const params = await this.tokenRequestParams();
    const session = await retryTransient(
      () => this.postToken(params),
      this.options.retry ?? DEFAULT_RETRY_POLICY,
      {
        onRetry: (error, attempt, delayMs) =>
          this.options.logger?.warn(
            { attempt, delayMs, error: error.message },
            'Salesforce token request failed; trying again',
          ),
      },
    );
    this.current = session;
    this.options.logger?.info(
      {
        flow: this.options.credentials.flow,
        clientId: this.options.credentials.clientId,
        instanceUrl: session.instanceUrl,
      },
      'Salesforce access token obtained',
    );
    return session;
  }

  private async tokenRequestParams(): Promise<URLSearchParams> {
    const credentials = this.options.credentials;
    if (credentials.flow === 'client-credentials') {
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      });
    }
    const assertion = await signJwtBearerAssertion({
      clientId: credentials.clientId,
      username: credentials.username,
      audience: this.options.audience ?? this.loginUrl,
      privateKeyPem: credentials.privateKeyPem,
    });
    return new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  }

  private async postToken(params: URLSearchParams): Promise<SalesforceSession> {
    const started = process.hrtime.bigint();
    const url = `${this.loginUrl}/services/oauth2/token`;
    let response;
    try {
      response = await this.http.post<unknown>(url, params.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
    } catch (error) {
      observeExternalCall(this.metrics, 'salesforce', 'authenticate', started, 'network_error');
      throw new ExternalApiError(
        `Salesforce token request to ${this.loginUrl} failed: ${networkErrorCode(error) ?? (error as Error).message}`,
        {
          system: 'salesforce',
          operation: 'authenticate',
          kind: 'transient',
          cause: sanitizedCause(error),
        },
      );
    }
    observeExternalCall(this.metrics, 'salesforce', 'authenticate', started, response.status);
    const body = response.data;
    if (response.status >= 500)
      throw salesforceErrorFromResponse(
        'authenticate',
        `the token request to ${this.loginUrl}`,
        response.status,
        body,
      );
    if (response.status !== 200 || body === null || typeof body !== 'object') {
      const errors = parseSalesforceErrors(body, response.status);
      const summary = errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ');
      throw new SalesforceAuthError(
        `Salesforce refused to sign in ${this.describeCredentials()} at ${this.loginUrl}: ${summary} ` +
          '(check the connected app, its pre-authorised users and the SALESFORCE_* settings)',
        { status: response.status, errors },
      );
    }
    const token = body as Record<string, unknown>;
    if (
      typeof token['access_token'] !== 'string' ||
      (typeof token['instance_url'] !== 'string' && !this.options.instanceUrl)
    ) {
      throw new SalesforceAuthError(
        `Salesforce token response from ${this.loginUrl} has no access_token/instance_url`,
        {
          status: response.status,
          errors: [{ errorCode: 'INVALID_TOKEN_RESPONSE', message: 'missing access_token or instance_url' }],
        },
      );
    }
    return {
      accessToken: token['access_token'],
      instanceUrl: (this.options.instanceUrl ?? (token['instance_url'] as string)).replace(/\/+$/, ''),
      identityUrl: typeof token['id'] === 'string' ? token['id'] : undefined,
    };
  }

  private describeCredentials(): string {
    const c = this.options.credentials;
    return c.flow === 'jwt-bearer'
      ? `${c.username} (JWT bearer, client ${c.clientId})`
      : `client ${c.clientId} (client credentials)`;
  }
}

export interface JwtBearerClaims {
  readonly clientId: string;
  readonly username: string;
  readonly audience: string;
  /** PEM, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
  readonly privateKeyPem: string;
  /** Seconds since the epoch; default now. */
  readonly now?: number;
}

/** The RS256 assertion of the OAuth 2.0 JWT bearer flow: iss = client id, sub = user, aud = login URL, exp = +3 min. */
export async function signJwtBearerAssertion(claims: JwtBearerClaims): Promise<string> {
  let key;
  try {
    key = createPrivateKey(claims.privateKeyPem);
  } catch {
    throw new SalesforceAuthError('SALESFORCE_PRIVATE_KEY is not a readable PEM private key', {
      errors: [{ errorCode: 'INVALID_PRIVATE_KEY', message: 'the key could not be parsed' }],
    });
  }
  const now = claims.now ?? Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.clientId)
    .setSubject(claims.username)
    .setAudience(claims.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + JWT_LIFETIME_SECONDS)
    .sign(key);
}
