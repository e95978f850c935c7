import type { EntityManager } from '@pardot-x3/persistence';

/** Advisory-lock namespaces of the engagement roll-up (with the id, hashed by PostgreSQL). */
const PROSPECT_LOCK = 'x3-order-writer:engagement:prospect:';
const CUSTOMER_LOCK = 'x3-order-writer:engagement:customer:';

/**
 * Takes, until the transaction ends, the engagement locks of prospects and then of X3 customers, each
 * in sorted order. Whoever stores a prospect's activities or changes its link to a customer holds the
 * prospect's lock, and whoever computes a customer's score holds the customer's: so a transaction
 * that reads activities or links after taking them sees what the previous holder committed (no
 * activity of a prospect linked at the same moment is missed, no two scores of one customer are
 * computed from half the activities). Every path takes prospects before customers, in one order, so
 * two transactions never wait for each other.
 */
export async function lockForEngagement(
  manager: EntityManager,
  ids: { readonly prospects?: readonly string[]; readonly customers?: readonly string[] },
): Promise<void> {
  const keys = [
    ...[...new Set(ids.prospects ?? [])].sort().map((id) => `${PROSPECT_LOCK}${id}`),
    ...[...new Set(ids.customers ?? [])].sort().map((id) => `${CUSTOMER_LOCK}${id}`),
  ];
  if (keys.length === 0) return;
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(u.key, 0))
       FROM unnest($1::text[]) WITH ORDINALITY AS u(key, position) ORDER BY u.position`,
    [keys],
  );
}
