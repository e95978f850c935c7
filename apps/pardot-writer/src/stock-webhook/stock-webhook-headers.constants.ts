/**
 * Headers of a stock webhook call. The signature is the shared webhook scheme (`signWebhook` of
 * @pardot-x3/access, as for Sage X3's notifications): `sha256=<hex HMAC-SHA256(secret,
 * "<timestamp>.<body>")>`; the receiver recomputes it over the raw body with the shared secret, compares
 * in constant time and refuses old timestamps (replays).
 */
export const STOCK_WEBHOOK_HEADERS = {
  deliveryId: 'x-px3-delivery-id',
  timestamp: 'x-px3-timestamp',
  signature: 'x-px3-signature',
} as const;
