// Authentication and authorisation of pardot-x3's HTTP APIs, free of any web framework: roles,
// API keys (hashed, constant-time), OIDC bearer tokens (jose), audit entries, personal-data masking,
// the HMAC signature of webhooks (ours and X3's).
// The NestJS guard lives in @pardot-x3/service-runtime. See docs/security.md.
export { ROLES, isRole, roleAllows, highestRole, seesPersonalData, type Role } from './roles.js';
export type { Principal } from './principal.js';
export {
  API_KEY_PREFIX,
  ApiKeyVerifier,
  apiKeyLine,
  createApiKey,
  hashApiKey,
  parseApiKeys,
  type ApiKeyEntry,
} from './api-keys.js';
export {
  OIDC_ALGORITHMS,
  OidcVerifier,
  TokenRejectedError,
  claimValues,
  type OidcSettings,
} from './oidc-verifier.js';
export {
  API_KEY_HEADER,
  CREDENTIALS_REQUIRED,
  Authenticator,
  wwwAuthenticate,
  type AuthenticationResult,
  type PresentedCredentials,
} from './authenticator.js';
export { AccessConfigError, createAuthenticator } from './access-settings.js';
export { AUDIT_SINK, type AuditEntry, type AuditOutcome, type AuditSink } from './audit.js';
export { MASK, maskEmail, maskPhone, maskText } from './masking.js';
export {
  signWebhook,
  verifyWebhookSignature,
  WebhookSignatureError,
  type WebhookSignatureCheck,
  type WebhookSignatureFailure,
  type WebhookSigner,
} from './webhook-signature.js';
