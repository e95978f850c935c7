import { describe, expect, it } from 'vitest';
import { X3WebhookSignatureError, signX3Notification, verifyX3Signature } from './x3-webhook-signature.js';

const secret = 'a-shared-secret-of-some-length';
const body = '{"entity":"BPCUSTOMER","key":"C0001","event":"UPDATE"}';
const now = new Date('2026-11-26T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));

function reason(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof X3WebhookSignatureError ? error.reason : 'other';
  }
}

describe('verifyX3Signature', () => {
  it('accepts sha256=<hex HMAC of "<timestamp>.<raw body>">', () => {
    const signature = signX3Notification(secret, timestamp, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      reason(() => verifyX3Signature({ secret, rawBody: body, timestamp, signature, now })),
    ).toBeUndefined();
    expect(
      reason(() =>
        verifyX3Signature({
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
    const signature = signX3Notification(secret, timestamp, body);
    expect(
      reason(() =>
        verifyX3Signature({ secret, rawBody: body.replace('C0001', 'C0002'), timestamp, signature, now }),
      ),
    ).toBe('mismatch');
    expect(
      reason(() =>
        verifyX3Signature({ secret: 'another-secret-entirely', rawBody: body, timestamp, signature, now }),
      ),
    ).toBe('mismatch');
    expect(
      reason(() =>
        verifyX3Signature({
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
        verifyX3Signature({
          secret,
          rawBody: body,
          timestamp: old,
          signature: signX3Notification(secret, old, body),
          now,
        }),
      ),
    ).toBe('outside-tolerance');
    const future = String(Number(timestamp) + 301);
    expect(
      reason(() =>
        verifyX3Signature({
          secret,
          rawBody: body,
          timestamp: future,
          signature: signX3Notification(secret, future, body),
          now,
        }),
      ),
    ).toBe('outside-tolerance');
    const recent = String(Number(timestamp) - 299);
    expect(
      reason(() =>
        verifyX3Signature({
          secret,
          rawBody: body,
          timestamp: recent,
          signature: signX3Notification(secret, recent, body),
          now,
        }),
      ),
    ).toBeUndefined();
  });

  it('refuses missing or malformed headers', () => {
    expect(
      reason(() =>
        verifyX3Signature({ secret, rawBody: body, timestamp: undefined, signature: 'sha256=00', now }),
      ),
    ).toBe('missing-headers');
    expect(
      reason(() =>
        verifyX3Signature({
          secret,
          rawBody: body,
          timestamp: 'yesterday',
          signature: signX3Notification(secret, 'yesterday', body),
          now,
        }),
      ),
    ).toBe('malformed-timestamp');
    expect(
      reason(() => verifyX3Signature({ secret, rawBody: body, timestamp, signature: 'md5=abc', now })),
    ).toBe('malformed-signature');
  });
});
