import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Principal } from './principal.js';
import { highestRole, type Role } from './roles.js';

/** Signature algorithms accepted from an identity provider: asymmetric only (no HS*, never "none"). */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export interface OidcSettings {
  /** The `iss` every token must carry, e.g. https://login.example.com/realms/px3. */
  readonly issuer: string;
  /** Accepted `aud` values (at least one must be in the token). */
  readonly audience: readonly string[];
  /** Where the provider publishes its signing keys (fetched, cached, refreshed on an unknown `kid`)... */
  readonly jwksUrl?: URL;
  /** ...or the keys themselves (a JWKS file, for air-gapped setups and tests). */
  readonly jwks?: JSONWebKeySet;
  /** Claim holding the roles: a name, or a dotted path such as `realm_access.roles`. */
  readonly rolesClaim: string;
  /** Provider role/group names → pardot-x3 roles; names that already are pardot-x3 roles map to themselves. */
  readonly roleMap: ReadonlyMap<string, Role>;
  /** Clock skew tolerated on exp/nbf/iat, seconds. */
  readonly clockToleranceSeconds?: number;
}

/** A token that does not pass; `message` is safe to return to the caller (it never echoes the token). */
export class TokenRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** Verifies OIDC access/ID tokens (JWTs) through `jose`: signature by the JWKS, issuer, audience, times. */
export class OidcVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly settings: OidcSettings) {
    if (settings.jwks) this.keys = createLocalJWKSet(settings.jwks);
    else if (settings.jwksUrl)
      this.keys = createRemoteJWKSet(settings.jwksUrl, { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    else throw new Error('OIDC needs a JWKS URL or a JWKS');
  }

  get issuer(): string {
    return this.settings.issuer;
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: [...this.settings.audience],
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: this.settings.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new TokenRejectedError(`the bearer token is not valid: ${reason(error)}`);
    }
    const sub = String(payload.sub);
    const name = [payload['preferred_username'], payload['email'], sub].find(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    const granted = claimValues(payload, this.settings.rolesClaim).map(
      (value) => this.settings.roleMap.get(value) ?? value,
    );
    return { id: `oidc:${sub}`, kind: 'oidc', name: name ?? sub, role: highestRole(granted) };
  }
}

/** The values of a roles claim: an array of strings, or one string of names separated by spaces or commas. */
export function claimValues(payload: JWTPayload, path: string): string[] {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return [];
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((v) => v !== '');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the identity provider matches it';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its signature algorithm is not accepted';
  if (
    error instanceof errors.JWKSTimeout ||
    (error instanceof errors.JOSEError && /fetch|JWKS/i.test(error.message))
  )
    return `the identity provider's keys could not be read (${error.message})`;
  if (error instanceof errors.JOSEError) return error.message;
  return 'it is not a JWT';
}
