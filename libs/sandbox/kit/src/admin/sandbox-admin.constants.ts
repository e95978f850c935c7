/** Injection token of the SandboxAdminOptions. */
export const SANDBOX_ADMIN_OPTIONS = Symbol('SANDBOX_ADMIN_OPTIONS');
/** Every sandbox serves its admin API under this path prefix. */
export const SANDBOX_ADMIN_PATH = '__admin';
/** Header carrying the admin token (compared in constant time). */
export const ADMIN_TOKEN_HEADER = 'x-admin-token';
/** Prefixes that are never subject to faults, the ledger or the request log. */
export const ALWAYS_PASS_THROUGH = ['/__admin', '/health', '/metrics'] as const;
