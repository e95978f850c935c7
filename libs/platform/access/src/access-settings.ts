import { readFileSync } from 'node:fs';
import type { AccessConfig } from '@pardot-x3/config';
import type { JSONWebKeySet } from 'jose';
import { ApiKeyVerifier, parseApiKeys, type ApiKeyEntry } from './api-keys.js';
import { Authenticator } from './authenticator.js';
import { OidcVerifier } from './oidc-verifier.js';
import { isRole, ROLES, type Role } from './roles.js';

/** The access settings do not describe a working setup; lists every problem (never a key). */
export class AccessConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the access settings are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AccessConfigError';
  }
}

/**
 * Builds the authenticator of a service from its validated access settings, reading the key list and
 * the JWKS files once, at boot. Throws `AccessConfigError` listing every problem.
 */
export function createAuthenticator(config: Partial<AccessConfig>): Authenticator {
  const problems: string[] = [];
  const entries: ApiKeyEntry[] = [];
  if (config.PX3_API_KEYS) collect(parseApiKeys(config.PX3_API_KEYS, 'PX3_API_KEYS'), entries, problems);
  if (config.PX3_API_KEYS_FILE) {
    const text = readText(config.PX3_API_KEYS_FILE, 'PX3_API_KEYS_FILE', problems);
    if (text !== undefined) collect(parseApiKeys(text, config.PX3_API_KEYS_FILE), entries, problems);
  }
  const names = new Set<string>();
  for (const { name } of entries) {
    if (names.has(name)) problems.push(`the API key name "${name}" is listed twice`);
    names.add(name);
  }
  const oidc = oidcVerifier(config, problems);
  if (problems.length > 0) throw new AccessConfigError(problems);
  return new Authenticator(new ApiKeyVerifier(dedupe(entries)), oidc);
}

function collect(
  parsed: { entries: ApiKeyEntry[]; problems: string[] },
  entries: ApiKeyEntry[],
  problems: string[],
): void {
  entries.push(...parsed.entries);
  problems.push(...parsed.problems);
}

function dedupe(entries: ApiKeyEntry[]): ApiKeyEntry[] {
  return [...new Map(entries.map((e) => [e.name, e])).values()];
}

function oidcVerifier(config: Partial<AccessConfig>, problems: string[]): OidcVerifier | undefined {
  const { PX3_OIDC_ISSUER: issuer, PX3_OIDC_JWKS_URL: jwksUrl, PX3_OIDC_JWKS_FILE: jwksFile } = config;
  const audience = (config.PX3_OIDC_AUDIENCE ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const anyOidc = issuer || audience.length > 0 || jwksUrl || jwksFile;
  if (!anyOidc) return undefined;
  const before = problems.length;
  if (!issuer) problems.push('PX3_OIDC_ISSUER is required when any PX3_OIDC_* setting is set');
  else if (!isHttpUrl(issuer)) problems.push('PX3_OIDC_ISSUER must be an http(s) URL');
  if (audience.length === 0)
    problems.push(
      'PX3_OIDC_AUDIENCE is required with PX3_OIDC_ISSUER: without it any token of the issuer would pass',
    );
  if (!jwksUrl && !jwksFile)
    problems.push('PX3_OIDC_JWKS_URL or PX3_OIDC_JWKS_FILE is required with PX3_OIDC_ISSUER');
  if (jwksUrl && jwksFile) problems.push('set only one of PX3_OIDC_JWKS_URL and PX3_OIDC_JWKS_FILE');
  if (jwksUrl && !isHttpUrl(jwksUrl)) problems.push('PX3_OIDC_JWKS_URL must be an http(s) URL');
  let jwks: JSONWebKeySet | undefined;
  if (jwksFile) {
    const text = readText(jwksFile, 'PX3_OIDC_JWKS_FILE', problems);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as Partial<JSONWebKeySet>;
        if (!Array.isArray(parsed.keys)) throw new Error('no "keys" array');
        jwks = parsed as JSONWebKeySet;
      } catch (error) {
        problems.push(`PX3_OIDC_JWKS_FILE ${jwksFile} is not a JWKS (${(error as Error).message})`);
      }
    }
  }
  const roleMap = parseRoleMap(config.PX3_OIDC_ROLE_MAP, problems);
  if (problems.length > before || !issuer) return undefined;
  return new OidcVerifier({
    issuer,
    audience,
    ...(jwks ? { jwks } : { jwksUrl: new URL(jwksUrl ?? '') }),
    rolesClaim: config.PX3_OIDC_ROLES_CLAIM ?? 'roles',
    roleMap,
  });
}

function parseRoleMap(text: string | undefined, problems: string[]): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const item of (text ?? '')
    .split(',')
    .map((i) => i.trim())
    .filter((i) => i !== '')) {
    const at = item.lastIndexOf(':');
    const name = item.slice(0, at).trim();
    const role = item.slice(at + 1).trim();
    if (at <= 0 || !isRole(role))
      problems.push(`PX3_OIDC_ROLE_MAP item "${item}" must be name:role with a role of ${ROLES.join(', ')}`);
    else map.set(name, role);
  }
  return map;
}

function readText(path: string, variable: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(
      `${variable} names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}
