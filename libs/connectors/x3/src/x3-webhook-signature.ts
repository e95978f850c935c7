import { createHmac, timingSafeEqual } from 'node:crypto';

export const X3_TIMESTAMP_HEADER = 'x-x3-timestamp';
export const X3_SIGNATURE_HEADER = 'x-x3-signature';

/** Why a notification was refused; the webhook answers 401 and logs the reason (never the secret). */
export type X3SignatureFailure =
  'missing-headers' | 'malformed-timestamp' | 'malformed-signature' | 'outside-tolerance' | 'mismatch';

export class X3WebhookSignatureError extends Error {
  constructor(
    readonly reason: X3SignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'X3WebhookSignatureError';
  }
}

export interface X3SignatureCheck {
  readonly secret: string;
  /** The body exactly as received (before any JSON parsing). */
  readonly rawBody: string | Buffer;
  /** `X-X3-Timestamp` header value. */
  readonly timestamp: string | undefined;
  /** `X-X3-Signature` header value: `sha256=<hex>`. */
  readonly signature: string | undefined;
  /** Default 300 s: older or future notifications are refused as possible replays. */
  readonly toleranceSeconds?: number;
  /** Default: now. */
  readonly now?: Date;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, as X3 change notifications are signed. */
export function signX3Notification(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
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
 * Verifies an X3 change notification: signature in constant time, timestamp within the tolerance
 * window. Throws `X3WebhookSignatureError` saying why it was refused.
 */
export function verifyX3Signature(check: X3SignatureCheck): void {
  if (!check.timestamp || !check.signature) {
    throw new X3WebhookSignatureError(
      'missing-headers',
      'X3 notification without X-X3-Timestamp or X-X3-Signature header',
    );
  }
  const seconds = timestampSeconds(check.timestamp);
  if (seconds === undefined)
    throw new X3WebhookSignatureError(
      'malformed-timestamp',
      'X3 notification with an unreadable X-X3-Timestamp',
    );
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(check.signature.trim());
  if (!match?.[1])
    throw new X3WebhookSignatureError('malformed-signature', 'X-X3-Signature must be sha256=<64 hex digits>');
  const tolerance = check.toleranceSeconds ?? 300;
  const now = Math.floor((check.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - seconds) > tolerance) {
    throw new X3WebhookSignatureError(
      'outside-tolerance',
      `X3 notification timestamp is ${now - seconds} s away from now (tolerance ${tolerance} s): refused as a possible replay`,
    );
  }
  const expected = Buffer.from(
    signX3Notification(check.secret, check.timestamp, check.rawBody).slice('sha256='.length),
    'hex',
  );
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new X3WebhookSignatureError(
      'mismatch',
      'X3 notification signature does not match (wrong X3_WEBHOOK_SECRET or altered body)',
    );
  }
}
