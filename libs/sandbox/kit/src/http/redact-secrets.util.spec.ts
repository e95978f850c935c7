import { describe, expect, it } from 'vitest';
import { redactSecrets, redactSecretsInBodyText } from './redact-secrets.util.js';

describe('redactSecrets', () => {
  it('replaces secret fields at any depth and leaves the rest', () => {
    expect(
      redactSecrets({
        email: 'a@b.example',
        password: 'x',
        auth: { client_secret: 'y', webhookSecret: 'z' },
        list: [{ access_token: 't' }],
      }),
    ).toEqual({
      email: 'a@b.example',
      password: '[redacted]',
      auth: { client_secret: '[redacted]', webhookSecret: '[redacted]' },
      list: [{ access_token: '[redacted]' }],
    });
  });

  it('redacts JSON text, also when it was cut short', () => {
    expect(redactSecretsInBodyText('{"id":1,"password":"pw"}')).toBe('{"id":1,"password":"[redacted]"}');
    expect(redactSecretsInBodyText('{"id":1,"access_token":"00D!abc","na')).toBe(
      '{"id":1,"access_token":"[redacted]","na',
    );
    expect(redactSecretsInBodyText('Authorization: Bearer abc')).toBe('Authorization: Bearer [redacted]');
  });
});
