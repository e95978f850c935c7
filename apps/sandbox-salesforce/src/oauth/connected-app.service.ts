import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { importSPKI, importX509, type CryptoKey } from 'jose';
import {
  issueSandboxAccessToken,
  verifySandboxAccessToken,
  type SandboxTokenVerification,
} from '@pardot-x3/sandbox-kit';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { SANDBOX_SALESFORCE_CONFIG, type SandboxSalesforceConfig } from '../sandbox-salesforce.config.js';

/** Scopes of every token the sandbox issues: the REST API and, like a real org, the Pardot API. */
export const ISSUED_SCOPES = ['api', 'pardot_api'] as const;

export interface ConnectedAppSettings {
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  /** PEM X.509 certificate or SPKI public key verifying JWT bearer assertions; null removes it. */
  readonly certificate?: string | null;
  readonly tokenTtlSeconds?: number;
}

export interface IssuedToken {
  readonly access_token: string;
  readonly scope: string;
  readonly instance_url: string;
  readonly id: string;
  readonly token_type: 'Bearer';
  readonly issued_at: string;
  readonly signature: string;
}

/**
 * The connected app integrations authenticate as (consumer key, secret, the certificate of its JWT
 * key pair) and the access tokens this org issues and accepts. Tokens are the kit's Salesforce-shaped
 * HMAC tokens, so the Pardot sandbox accepts them too.
 */
@Injectable()
export class ConnectedApp {
  consumerKey: string;
  consumerSecret: string;
  tokenTtlSeconds: number;
  private certificate: string | undefined;
  private verificationKey: Promise<CryptoKey> | undefined;

  constructor(
    @Inject(SANDBOX_SALESFORCE_CONFIG) private readonly config: SandboxSalesforceConfig,
    private readonly org: SalesforceOrg,
  ) {
    this.consumerKey = config.SF_CONSUMER_KEY;
    this.consumerSecret = config.SF_CONSUMER_SECRET;
    this.tokenTtlSeconds = config.SF_TOKEN_TTL_SECONDS;
    this.setCertificate(config.SF_JWT_CERTIFICATE);
  }

  configure(settings: ConnectedAppSettings): void {
    if (settings.consumerKey !== undefined) this.consumerKey = settings.consumerKey;
    if (settings.consumerSecret !== undefined) this.consumerSecret = settings.consumerSecret;
    if (settings.tokenTtlSeconds !== undefined) this.tokenTtlSeconds = settings.tokenTtlSeconds;
    if (settings.certificate !== undefined) this.setCertificate(settings.certificate ?? undefined);
  }

  reset(): void {
    this.consumerKey = this.config.SF_CONSUMER_KEY;
    this.consumerSecret = this.config.SF_CONSUMER_SECRET;
    this.tokenTtlSeconds = this.config.SF_TOKEN_TTL_SECONDS;
    this.setCertificate(this.config.SF_JWT_CERTIFICATE);
  }

  get hasCertificate(): boolean {
    return this.certificate !== undefined;
  }

  /** The key JWT bearer assertions must be signed with (RS256). */
  jwtVerificationKey(): Promise<CryptoKey> | undefined {
    return this.verificationKey;
  }

  /** Accepted `aud` values: the configured login URLs and this sandbox's own URL. */
  audiences(): string[] {
    const configured = this.config.SF_LOGIN_AUDIENCES.split(',')
      .map((a) => a.trim().replace(/\/$/, ''))
      .filter(Boolean);
    return [...configured, this.org.baseUrl];
  }

  issue(userId: string): IssuedToken {
    const now = new Date();
    const token = issueSandboxAccessToken(
      {
        orgId: this.org.orgId,
        userId,
        clientId: this.consumerKey,
        scopes: [...ISSUED_SCOPES],
        ttlSeconds: this.tokenTtlSeconds,
        now,
      },
      this.config.SANDBOX_TOKEN_SECRET,
    );
    return {
      access_token: token,
      scope: ISSUED_SCOPES.join(' '),
      instance_url: this.org.baseUrl,
      id: `${this.org.baseUrl}/id/${this.org.orgId}/${userId}`,
      token_type: 'Bearer',
      issued_at: String(now.getTime()),
      signature: token.slice(-44).replace(/[^A-Za-z0-9]/g, 'A'),
    };
  }

  verify(token: string): SandboxTokenVerification {
    const result = verifySandboxAccessToken(token, this.config.SANDBOX_TOKEN_SECRET);
    if (
      result.valid &&
      (result.claims.orgId.slice(0, 15) !== this.org.orgId.slice(0, 15) ||
        !result.claims.scopes.includes('api'))
    ) {
      return { valid: false, reason: 'signature' };
    }
    return result;
  }

  private setCertificate(value: string | undefined): void {
    if (value === undefined || value.trim() === '') {
      this.certificate = undefined;
      this.verificationKey = undefined;
      return;
    }
    const pem = value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
    this.certificate = pem;
    this.verificationKey = pem.includes('BEGIN CERTIFICATE')
      ? importX509(pem, 'RS256')
      : importSPKI(pem, 'RS256');
    // Surface a bad certificate at the token endpoint, not as an unhandled rejection.
    this.verificationKey.catch(() => undefined);
  }
}
