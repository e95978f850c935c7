import { createHmac } from 'node:crypto';

/** Headers of a stock webhook call. */
export const STOCK_WEBHOOK_HEADERS = {
  deliveryId: 'x-px3-delivery-id',
  timestamp: 'x-px3-timestamp',
  signature: 'x-px3-signature',
} as const;

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the receiver recomputes it over the raw body
 * with the shared secret, compares in constant time and refuses old timestamps (replays), as for
 * Sage X3's notifications.
 */
export function stockWebhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
