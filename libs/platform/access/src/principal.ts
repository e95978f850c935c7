import type { Role } from './roles.js';

/** Who made a request: a machine with an API key, or a person with an OIDC token. */
export interface Principal {
  /** `api-key:<name>` or `oidc:<sub>`: what the audit log records. */
  readonly id: string;
  readonly kind: 'api-key' | 'oidc';
  /** A readable name: the API key's name, or the token's preferred_username / email / sub. */
  readonly name: string;
  /** The most trusted pardot-x3 role the credentials carry; undefined when they carry none (→ 403). */
  readonly role: Role | undefined;
}
