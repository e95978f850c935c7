/**
 * The roles of pardot-x3's HTTP APIs, from least to most trusted; each includes the ones before it:
 * - `viewer`: reads (golden customers, job status); personal data is masked;
 * - `pii`: reads with personal data in clear (e.g. a support desk answering a customer);
 * - `operator`: everything, including the actions (backfill, order confirmation, re-drive, replay),
 *   which are audited.
 */
export const ROLES = ['viewer', 'pii', 'operator'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `granted` includes what `required` needs (operator ⊇ pii ⊇ viewer). */
export function roleAllows(granted: Role | undefined, required: Role): boolean {
  return granted !== undefined && ROLES.indexOf(granted) >= ROLES.indexOf(required);
}

/** The most trusted of the given roles, or undefined when none is a pardot-x3 role. */
export function highestRole(roles: Iterable<string>): Role | undefined {
  let best: Role | undefined;
  for (const role of roles) if (isRole(role) && !roleAllows(best, role)) best = role;
  return best;
}

/** Whether a role reads personal data (names, emails, phones, addresses) in clear. */
export function seesPersonalData(role: Role | undefined): boolean {
  return roleAllows(role, 'pii');
}
