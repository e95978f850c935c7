import type { SalesOrderEligibility } from '../policy/sales-order-policy.types.js';

export type EligibilityOutcome =
  { readonly eligible: true } | { readonly eligible: false; readonly reasons: readonly string[] };

/** The opportunity's line items, whether given as a SOQL sub-query result (`{ records: [...] }`) or a plain list. */
export function opportunityLineItems(
  opportunity: Record<string, unknown>,
): Record<string, unknown>[] | undefined {
  const items = opportunity['OpportunityLineItems'];
  const list = Array.isArray(items)
    ? items
    : items !== null && typeof items === 'object'
      ? (items as { records?: unknown }).records
      : undefined;
  return Array.isArray(list)
    ? list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object')
    : undefined;
}

/**
 * The Closed-Won rule: an opportunity becomes an X3 sales order when it is won and has line items,
 * each with a product. Says every reason it is not eligible, in words a sales rep understands.
 */
export function evaluateClosedWonRule(
  opportunity: Record<string, unknown>,
  rule: SalesOrderEligibility,
): EligibilityOutcome {
  const reasons: string[] = [];
  const stage = typeof opportunity['StageName'] === 'string' ? opportunity['StageName'].trim() : undefined;
  const won =
    opportunity['IsWon'] === true ||
    (stage !== undefined && rule.wonStageNames.some((name) => name.toLowerCase() === stage.toLowerCase()));
  if (!won)
    reasons.push(
      `the opportunity is at stage ${stage ? `"${stage}"` : '(none)'}; orders are created at ${rule.wonStageNames.map((n) => `"${n}"`).join(' or ')}`,
    );

  const items = opportunityLineItems(opportunity) ?? [];
  if (rule.requireLineItems && items.length === 0) reasons.push('the opportunity has no product line items');
  if (rule.requireProducts) {
    items.forEach((item, index) => {
      const product2 = item['Product2'] as Record<string, unknown> | null | undefined;
      const hasProduct = [item['Product2Id'], item['ProductCode'], product2?.['ProductCode']].some(
        (v) => typeof v === 'string' && v.trim() !== '',
      );
      if (!hasProduct)
        reasons.push(
          `line ${index + 1}${typeof item['Id'] === 'string' ? ` (${item['Id']})` : ''} has no product`,
        );
    });
  }
  return reasons.length === 0 ? { eligible: true } : { eligible: false, reasons };
}
