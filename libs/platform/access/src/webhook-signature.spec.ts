import { describe, expect, it } from 'vitest';
import {
  WebhookSignatureError,
  signWebhook,
  verifyWebhookSignature,
  type WebhookSignatureCheck,
} from './webhook-signature.js';

const signer = {
  delivery: 'X3 notification',
  timestampHeader: 'X-X3-Timestamp',
  signatureHeader: 'X-X3-Signature',
  secretSetting: 'X3_WEBHOOK_SECRET',
};

function verify(check: Omit<WebhookSignatureCheck, 'signer'>): void {
  verifyWebhookSignature({ ...check, signer });
}

const secret = 'a-shared-secret-of-some-length';
const body = '{"entity":"BPCUSTOMER","key":"C0001","event":"UPDATE"}';
const now = new Date('2026-11-26T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));

function reason(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof WebhookSignatureError ? error.reason : 'other';
  }
}

describe('verifyWebhookSignature', () => {
  it('accepts sha256=<hex HMAC of "<timestamp>.<raw body>">', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(reason(() => verify({ secret, rawBody: body, timestamp, signature, now }))).toBeUndefined();
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: Buffer.from(body),
          timestamp,
          signature: signature.toUpperCase().replace('SHA256', 'sha256'),
          now,
        }),
      ),
    ).toBeUndefined();
  });

  it('refuses an altered body, a wrong secret and a changed timestamp', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(
      reason(() => verify({ secret, rawBody: body.replace('C0001', 'C0002'), timestamp, signature, now })),
    ).toBe('mismatch');
    expect(
      reason(() => verify({ secret: 'another-secret-entirely', rawBody: body, timestamp, signature, now })),
    ).toBe('mismatch');
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: body,
          timestamp: String(Number(timestamp) + 1),
          signature,
          now,
        }),
      ),
    ).toBe('mismatch');
  });

  it('refuses replays outside the tolerance window, in both directions', () => {
    const old = String(Number(timestamp) - 301);
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: body,
          timestamp: old,
          signature: signWebhook(secret, old, body),
          now,
        }),
      ),
    ).toBe('outside-tolerance');
    const future = String(Number(timestamp) + 301);
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: body,
          timestamp: future,
          signature: signWebhook(secret, future, body),
          now,
        }),
      ),
    ).toBe('outside-tolerance');
    const recent = String(Number(timestamp) - 299);
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: body,
          timestamp: recent,
          signature: signWebhook(secret, recent, body),
          now,
        }),
      ),
    ).toBeUndefined();
  });

  it('is HMAC-SHA256 of "<timestamp>.<body>", the same for a string and its bytes', () => {
    // computed independently: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    expect(signWebhook('s3cret', '1700000000', '{"a":1}')).toBe(
      'sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940',
    );
    expect(signWebhook('s3cret', '1700000000', Buffer.from('{"a":1}'))).toBe(
      signWebhook('s3cret', '1700000000', '{"a":1}'),
    );
  });

  it("names the signer's headers and secret setting in its messages", () => {
    expect(() => verify({ secret, rawBody: body, timestamp: undefined, signature: undefined, now })).toThrow(
      'X3 notification without X-X3-Timestamp or X-X3-Signature header',
    );
    expect(() =>
      verify({
        secret: 'wrong',
        rawBody: body,
        timestamp,
        signature: signWebhook(secret, timestamp, body),
        now,
      }),
    ).toThrow('wrong X3_WEBHOOK_SECRET or altered body');
  });

  it('refuses missing or malformed headers', () => {
    expect(
      reason(() => verify({ secret, rawBody: body, timestamp: undefined, signature: 'sha256=00', now })),
    ).toBe('missing-headers');
    expect(
      reason(() =>
        verify({
          secret,
          rawBody: body,
          timestamp: 'yesterday',
          signature: signWebhook(secret, 'yesterday', body),
          now,
        }),
      ),
    ).toBe('malformed-timestamp');
    expect(reason(() => verify({ secret, rawBody: body, timestamp, signature: 'md5=abc', now }))).toBe(
      'malformed-signature',
    );
  });
});
