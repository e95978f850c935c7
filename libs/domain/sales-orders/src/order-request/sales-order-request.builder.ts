import {
  forbiddenKeyProblems,
  mapRecord,
  type FieldProblem,
  type MappedRecord,
  type MappingTemplate,
} from '@pardot-x3/mapping';
import { evaluateClosedWonRule } from '../eligibility/closed-won.rule.js';
import type { SalesOrderEligibility } from '../policy/sales-order-policy.types.js';
import type { SalesOrderLine, SalesOrderRequest } from './sales-order-request.types.js';

export type SalesOrderRequestOutcome =
  | {
      readonly outcome: 'request';
      readonly request: SalesOrderRequest;
      readonly templateId: string;
      readonly warnings: readonly FieldProblem[];
    }
  /** Not an order (yet): not won, or no product lines. Nothing to do, nothing wrong. */
  | { readonly outcome: 'not-eligible'; readonly opportunityId?: string; readonly reasons: readonly string[] }
  /** Won, but the data cannot make an order: goes to the dead-letter topic with every problem. */
  | {
      readonly outcome: 'invalid';
      readonly opportunityId?: string;
      readonly templateId: string;
      readonly problems: readonly string[];
    };

/**
 * Applies the Closed-Won rule, then the `opportunity-to-sales-order-request` template, then the order's
 * own invariants (at least one line, quantities above zero, prices not negative).
 */
export function buildSalesOrderRequest(
  opportunity: unknown,
  template: MappingTemplate,
  eligibility: SalesOrderEligibility,
): SalesOrderRequestOutcome {
  const record =
    opportunity !== null && typeof opportunity === 'object' && !Array.isArray(opportunity)
      ? (opportunity as Record<string, unknown>)
      : {};
  const opportunityId = typeof record['Id'] === 'string' ? { opportunityId: record['Id'] } : {};
  // Refused before any rule reads it, won or not: a `__proto__` field is never data.
  const forbidden = forbiddenKeyProblems(opportunity);
  if (forbidden.length > 0)
    return {
      outcome: 'invalid',
      ...opportunityId,
      templateId: template.id,
      problems: forbidden.map((p) => p.message),
    };
  const rule = evaluateClosedWonRule(record, eligibility);
  if (!rule.eligible) return { outcome: 'not-eligible', ...opportunityId, reasons: rule.reasons };

  const mapped = mapRecord(template, opportunity);
  if (mapped.outcome === 'skipped')
    return { outcome: 'not-eligible', ...opportunityId, reasons: [mapped.reason] };
  if (mapped.outcome === 'rejected')
    return {
      outcome: 'invalid',
      ...opportunityId,
      templateId: template.id,
      problems: mapped.problems.map((p) => p.message),
    };

  const problems: string[] = [];
  const output = mapped.record;
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  for (const field of ['opportunityId', 'accountId', 'orderDate'] as const) {
    if (text(output[field]) === undefined)
      problems.push(`${field} is required; the template ${template.id} must map it`);
  }
  if (typeof output['observedAt'] !== 'number')
    problems.push(`observedAt is required; the template ${template.id} must map it as a timestamp`);
  const rawLines = Array.isArray(output['lines']) ? (output['lines'] as MappedRecord[]) : [];
  if (rawLines.length === 0) problems.push('an order needs at least one line');
  const lines: SalesOrderLine[] = rawLines.map((line, index) => {
    const where = `lines[${index}]`;
    const quantity = text(line['quantity']);
    const unitPrice = text(line['unitPrice']);
    if (text(line['productCode']) === undefined) problems.push(`${where}.productCode is required`);
    if (quantity === undefined || !(Number(quantity) > 0))
      problems.push(
        `${where}.quantity must be above zero${quantity === undefined ? '' : `, not ${quantity}`}`,
      );
    if (unitPrice === undefined || Number(unitPrice) < 0)
      problems.push(
        `${where}.unitPrice must be zero or more${unitPrice === undefined ? '' : `, not ${unitPrice}`}`,
      );
    return {
      lineNumber: index + 1,
      lineItemId: text(line['lineItemId']) ?? '',
      productCode: text(line['productCode']) ?? '',
      ...(line['productName'] !== undefined ? { productName: text(line['productName']) ?? null } : {}),
      quantity: quantity ?? '0',
      unitPrice: unitPrice ?? '0',
    };
  });
  if (problems.length > 0) return { outcome: 'invalid', ...opportunityId, templateId: template.id, problems };

  const { lines: _lines, customFields, ...header } = output;
  const request = {
    ...header,
    orderKey: output['opportunityId'],
    lines,
    customFields:
      customFields !== null && typeof customFields === 'object' && !Array.isArray(customFields)
        ? customFields
        : {},
  } as unknown as SalesOrderRequest;
  return { outcome: 'request', request, templateId: template.id, warnings: mapped.warnings };
}
