import { parseX3DateTime } from './x3-source-change.js';

/**
 * The enrichment x3-ingest adds to an X3 customer's source event, from the customer's sales orders
 * (SORDER): turnover to date and the date of the last order, as the specific fields the
 * `x3-customer-to-canonical` template reads (`YTOTREVENUE`, `YTOTREVCUR`, `YLASTORDDAT`), and
 * `YCHGDATTIM`, when the customer as enriched last changed: the later of its own `UPDDATTIM` and its
 * newest order's (a new order changes the customer's turnover, hence the customer).
 *
 * Turnover is the sum of the orders' amount excluding tax (`ORDNOT`) in the customer's currency;
 * orders in another currency are not added (they cannot be, without rates) and are counted in
 * `skippedOrders`. A real X3 keeps these totals in BPCUSTMVT; the sandbox does not, so they are summed.
 */
export interface X3CustomerTurnover {
  readonly fields: {
    readonly YTOTREVENUE: string;
    readonly YTOTREVCUR: string | null;
    readonly YLASTORDDAT: string | null;
    readonly YCHGDATTIM: string;
  };
  /** Epoch ms of `YCHGDATTIM`. */
  readonly changedAt: number;
  readonly orders: number;
  readonly skippedOrders: number;
}

export function x3CustomerTurnover(
  orders: readonly Readonly<Record<string, unknown>>[],
  customerCurrency: string | null,
  customerChangedAt: number,
): X3CustomerTurnover {
  const currency = customerCurrency ?? firstCurrency(orders);
  let total = 0n;
  let scale = 0;
  let counted = 0;
  let lastDate: string | null = null;
  let changedAt = customerChangedAt;
  for (const order of orders) {
    const orderChangedAt = parseX3DateTime(order['UPDDATTIM']);
    if (orderChangedAt !== undefined && orderChangedAt > changedAt) changedAt = orderChangedAt;
    const date = typeof order['ORDDAT'] === 'string' ? order['ORDDAT'].slice(0, 10) : null;
    if (date && /^\d{4}-\d{2}-\d{2}$/.test(date) && (lastDate === null || date > lastDate)) lastDate = date;
    const orderCurrency = typeof order['CUR'] === 'string' ? order['CUR'] : currency;
    const amount = parseDecimal(order['ORDNOT']);
    if (amount === undefined || (currency !== null && orderCurrency !== currency)) continue;
    const common = Math.max(scale, amount.scale);
    total = total * 10n ** BigInt(common - scale) + amount.unscaled * 10n ** BigInt(common - amount.scale);
    scale = common;
    counted += 1;
  }
  return {
    fields: {
      YTOTREVENUE: formatDecimal(total, scale),
      YTOTREVCUR: currency,
      YLASTORDDAT: lastDate,
      YCHGDATTIM: new Date(changedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    changedAt,
    orders: counted,
    skippedOrders: orders.length - counted,
  };
}

function firstCurrency(orders: readonly Readonly<Record<string, unknown>>[]): string | null {
  for (const order of orders)
    if (typeof order['CUR'] === 'string' && order['CUR'] !== '') return order['CUR'];
  return null;
}

function parseDecimal(value: unknown): { unscaled: bigint; scale: number } | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof text !== 'string') return undefined;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const unscaled = BigInt(`${whole}${fraction}`) * (sign === '-' ? -1n : 1n);
  return { unscaled, scale: fraction.length };
}

/** Exact decimal text without trailing zeros: 1250.50 → "1250.5", 3.000 → "3". */
function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
