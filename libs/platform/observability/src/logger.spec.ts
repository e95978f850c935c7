import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  loggerOptions,
  REDACTED,
  redactSecretsInText,
  registerSecretValues,
  secretValueScrubber,
} from './logger.js';

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the service name and level label', () => {
    const out = capture();
    const logger = createLogger({ service: 'mdm', destination: out.stream });
    logger.info({ topic: 'customer.mastered.v1' }, 'consumer started');
    const [line] = out.lines();
    expect(line).toMatchObject({
      service: 'mdm',
      level: 'info',
      msg: 'consumer started',
      topic: 'customer.mastered.v1',
    });
  });

  it('redacts secrets at any depth', () => {
    const out = capture();
    const logger = createLogger({ service: 'pardot-writer', destination: out.stream });
    logger.warn(
      {
        auth: { access_token: 'abc123', clientSecret: 's3cr3t' },
        req: { headers: { authorization: 'Bearer xyz' } },
        password: 'pw',
      },
      'token refresh',
    );
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/abc123|s3cr3t|Bearer xyz|"pw"/);
    expect(text).toContain('[redacted]');
  });
});

describe('redactSecretsInText', () => {
  it('hides URL credentials, bearer tokens and secret query parameters', () => {
    expect(redactSecretsInText('connect postgres://app:pa55@db:5432/x failed')).toBe(
      'connect postgres://app:[redacted]@db:5432/x failed',
    );
    expect(redactSecretsInText('Authorization: Bearer 00Dxx!AQ.abc')).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(redactSecretsInText('/token?grant_type=x&password=hunter2&x=1')).toBe(
      '/token?grant_type=x&password=[redacted]&x=1',
    );
  });
});

describe('loggerOptions', () => {
  it('is what createLogger uses: redaction, message key, level as a word', () => {
    const options = loggerOptions({ service: 'mdm', level: 'debug' });
    expect(options.level).toBe('debug');
    expect(options.messageKey).toBe('msg');
    expect(options.redact).toMatchObject({ censor: REDACTED });
    expect(options.base).toMatchObject({ service: 'mdm', pid: process.pid });
  });
});

describe('secret values', () => {
  it('are replaced wherever they occur: any field name, error messages, inside URLs, JSON-escaped', () => {
    const out = capture();
    const webhookSecret = 'whsec-0123456789abcdef';
    const pem = '-----BEGIN KEY-----\nMIIBsecretbody\n-----END KEY-----';
    const logger = createLogger({
      service: 'x3-ingest',
      destination: out.stream,
      secretValues: [webhookSecret, 'db-pa55word', pem],
    });
    logger.info({ config: { X3_WEBHOOK_SECRET: webhookSecret, key: pem } }, 'configuration loaded');
    logger.error({ err: new Error('connect to postgres://px3:db-pa55word@db/x failed') }, 'boom');
    logger.info(`signed with ${webhookSecret}`);
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain('db-pa55word');
    expect(text).not.toContain('MIIBsecretbody');
    expect(out.lines()[0]).toMatchObject({ config: { X3_WEBHOOK_SECRET: REDACTED, key: REDACTED } });
    expect(out.lines()[1]?.['err']).toMatchObject({
      message: `connect to postgres://px3:${REDACTED}@db/x failed`,
    });
  });

  it('are scrubbed by every logger of the process once registered, including ones made before', () => {
    const out = capture();
    const early = createLogger({ service: 'mdm', destination: out.stream });
    registerSecretValues(['registered-later-secret']);
    early.info({ note: 'registered-later-secret' }, 'x');
    expect(out.lines()[0]).toMatchObject({ note: REDACTED });
  });

  it('leave lines alone when none are given', () => {
    expect(secretValueScrubber([])('{"a":"b"}')).toBe('{"a":"b"}');
    expect(secretValueScrubber(['a.b'])('{"x":"a.b axb"}')).toBe('{"x":"[redacted] axb"}');
  });
});
