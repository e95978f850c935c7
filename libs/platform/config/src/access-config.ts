import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/**
 * Who may call a service's HTTP routes (every route but /health/* and /metrics; signed webhooks keep
 * their signature): API keys for machines, OIDC bearer tokens for people. See docs/security.md.
 * With neither set, every protected route answers 401: never an open door.
 */
export const accessConfigSchema = z.object({
  PX3_API_KEYS_FILE: optionalText.describe(
    'file of accepted API keys, one name:role:sha256-of-key per line (roles viewer, pii, operator; `./pardot-x3 access key create` makes one); a Kubernetes secret mount',
  ),
  PX3_API_KEYS: optionalText.describe(
    'accepted API keys inline, name:role:sha256-of-key separated by commas: hashes, never the keys themselves',
  ),
  PX3_OIDC_ISSUER: optionalText.describe(
    'OIDC issuer whose bearer tokens (JWTs) people use, e.g. https://login.example.com/realms/px3; needs PX3_OIDC_AUDIENCE and PX3_OIDC_JWKS_URL (or _FILE)',
  ),
  PX3_OIDC_AUDIENCE: optionalText.describe('accepted token audiences (aud), comma-separated'),
  PX3_OIDC_JWKS_URL: optionalText.describe(
    "the identity provider's signing keys (JWKS), e.g. https://login.example.com/realms/px3/protocol/openid-connect/certs",
  ),
  PX3_OIDC_JWKS_FILE: optionalText.describe(
    'the signing keys as a local JWKS file, instead of PX3_OIDC_JWKS_URL',
  ),
  PX3_OIDC_ROLES_CLAIM: z
    .string()
    .trim()
    .min(1)
    .default('roles')
    .describe('token claim holding the roles: a name or a dotted path such as realm_access.roles'),
  PX3_OIDC_ROLE_MAP: optionalText.describe(
    'provider role or group names to pardot-x3 roles, name:role comma-separated, e.g. px3-admins:operator,support:pii',
  ),
});

export type AccessConfig = z.output<typeof accessConfigSchema>;
