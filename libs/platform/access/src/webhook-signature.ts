import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one HMAC webhook signing scheme of pardot-x3, for the webhooks we send (the stock webhook), the
 * ones we receive (Sage X3 change notifications) and the X3 sandbox that plays X3:
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, with the timestamp in its own header so
 * that the receiver can refuse old deliveries (replays).
 */
export function signWebhook(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/** Why a signed delivery was refused; the receiver answers 401 and logs the reason (never the secret). */
export type WebhookSignatureFailure =
  'missing-headers' | 'malformed-timestamp' | 'malformed-signature' | 'outside-tolerance' | 'mismatch';

export class WebhookSignatureError extends Error {
  constructor(
    readonly reason: WebhookSignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** Who signed and in which headers, for the messages of `WebhookSignatureError` (e.g. X3's). */
export interface WebhookSigner {
  /** e.g. "X3 notification". */
  readonly delivery: string;
  readonly timestampHeader: string;
  readonly signatureHeader: string;
  /** The setting that holds the shared secret, e.g. X3_WEBHOOK_SECRET. */
  readonly secretSetting: string;
}

export interface WebhookSignatureCheck {
  readonly signer: WebhookSigner;
  readonly secret: string;
  /** The body exactly as received (before any JSON parsing). */
  readonly rawBody: string | Buffer;
  /** The timestamp header's value. */
  readonly timestamp: string | undefined;
  /** The signature header's value: `sha256=<hex>`. */
  readonly signature: string | undefined;
  /** Default 300 s: older or future deliveries are refused as possible replays. */
  readonly toleranceSeconds?: number;
  /** Default: now. */
  readonly now?: Date;
}

/** Seconds since the epoch of a timestamp header: epoch seconds, epoch milliseconds or ISO-8601. */
function timestampSeconds(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d{1,11}$/.test(trimmed)) return Number(trimmed);
  if (/^\d{12,14}$/.test(trimmed)) return Math.floor(Number(trimmed) / 1000);
  const parsed = Date.parse(trimmed);
  return /^\d{4}-\d{2}-\d{2}T/.test(trimmed) && Number.isFinite(parsed)
    ? Math.floor(parsed / 1000)
    : undefined;
}

/**
 * Verifies a signed delivery: signature in constant time, timestamp within the tolerance window.
 * Throws `WebhookSignatureError` saying why it was refused.
 */
export function verifyWebhookSignature(check: WebhookSignatureCheck): void {
  const { delivery, timestampHeader, signatureHeader, secretSetting } = check.signer;
  if (!check.timestamp || !check.signature) {
    throw new WebhookSignatureError(
      'missing-headers',
      `${delivery} without ${timestampHeader} or ${signatureHeader} header`,
    );
  }
  const seconds = timestampSeconds(check.timestamp);
  if (seconds === undefined)
    throw new WebhookSignatureError(
      'malformed-timestamp',
      `${delivery} with an unreadable ${timestampHeader}`,
    );
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(check.signature.trim());
  if (!match?.[1])
    throw new WebhookSignatureError(
      'malformed-signature',
      `${signatureHeader} must be sha256=<64 hex digits>`,
    );
  const tolerance = check.toleranceSeconds ?? 300;
  const now = Math.floor((check.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - seconds) > tolerance) {
    throw new WebhookSignatureError(
      'outside-tolerance',
      `${delivery} timestamp is ${now - seconds} s away from now (tolerance ${tolerance} s): refused as a possible replay`,
    );
  }
  const expected = Buffer.from(
    signWebhook(check.secret, check.timestamp, check.rawBody).slice('sha256='.length),
    'hex',
  );
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError(
      'mismatch',
      `${delivery} signature does not match (wrong ${secretSetting} or altered body)`,
    );
  }
}
