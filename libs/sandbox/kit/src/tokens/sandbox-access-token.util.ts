import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a sandbox access token says about its holder. */
export interface SandboxTokenClaims {
  /** Salesforce org id, 15 or 18 characters starting "00D". */
  readonly orgId: string;
  /** Salesforce user id ("005…") the token acts as. */
  readonly userId: string;
  /** OAuth client id (connected app consumer key) that obtained the token. */
  readonly clientId: string;
  /** OAuth scopes, e.g. ["api", "pardot_api"]. */
  readonly scopes: readonly string[];
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Unique per token. */
  readonly tokenId: string;
}

export interface IssueSandboxAccessTokenInput {
  readonly orgId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly ttlSeconds: number;
  /** Issue time (default: now). */
  readonly now?: Date;
}

export type SandboxTokenVerification =
  | { readonly valid: true; readonly claims: SandboxTokenClaims }
  | {
      readonly valid: false;
      readonly reason: 'malformed' | 'signature' | 'expired';
      readonly claims?: SandboxTokenClaims;
    };

const ORG_ID = /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
const MIN_SECRET_LENGTH = 16;

/**
 * A Salesforce-shaped access token, "<15-char org id>!<claims>.<signature>": opaque to clients like a
 * real one, and verifiable by every sandbox that shares SANDBOX_TOKEN_SECRET (the Salesforce sandbox
 * issues it, the Pardot sandbox accepts it when it carries the `pardot_api` scope). HMAC-SHA256.
 */
export function issueSandboxAccessToken(input: IssueSandboxAccessTokenInput, secret: string): string {
  assertSecret(secret);
  if (!ORG_ID.test(input.orgId))
    throw new RangeError(
      `orgId must be a Salesforce org id (00D…, 15 or 18 characters), got "${input.orgId}"`,
    );
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1)
    throw new RangeError('ttlSeconds must be a positive whole number');
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: SandboxTokenClaims = {
    orgId: input.orgId,
    userId: input.userId,
    clientId: input.clientId,
    scopes: [...input.scopes],
    issuedAt,
    expiresAt: issuedAt + input.ttlSeconds,
    tokenId: randomBytes(9).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${input.orgId.slice(0, 15)}!${payload}.${sign(payload, secret)}`;
}

/** Checks the signature and the expiry; says why a token is not valid. */
export function verifySandboxAccessToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): SandboxTokenVerification {
  assertSecret(secret);
  const bang = token.indexOf('!');
  const dot = token.lastIndexOf('.');
  if (bang !== 15 || dot <= bang + 1) return { valid: false, reason: 'malformed' };
  const payload = token.slice(bang + 1, dot);
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(token.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { valid: false, reason: 'signature' };
  let claims: SandboxTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SandboxTokenClaims;
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  if (
    typeof claims.expiresAt !== 'number' ||
    !Array.isArray(claims.scopes) ||
    claims.orgId?.slice(0, 15) !== token.slice(0, 15)
  ) {
    return { valid: false, reason: 'malformed' };
  }
  if (claims.expiresAt * 1000 <= now.getTime()) return { valid: false, reason: 'expired', claims };
  return { valid: true, claims };
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(
      `the sandbox token secret must be at least ${MIN_SECRET_LENGTH} characters (SANDBOX_TOKEN_SECRET)`,
    );
  }
}
