import { PassThrough } from 'node:stream';
import { createLogger } from '@pardot-x3/observability';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { X3ApiError } from './x3.error.js';
import { X3Client } from './x3-client.js';

describe('X3Client failures', () => {
  it('reports an unreachable server as transient, and its error never carries the password into logs', async () => {
    const password = 'pa55-word-that-must-not-leak';
    const client = new X3Client({
      baseUrl: 'http://127.0.0.1:9',
      folder: 'SEED',
      username: 'px3',
      password,
      registry: new Registry(),
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const error = await client.details({ className: 'BPCUSTOMER' }, 'C00001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(X3ApiError);
    expect((error as X3ApiError).kind).toBe('transient');
    expect((error as Error).message).toMatch(
      /^Sage X3 could not be reached for the read of BPCUSTOMER C00001: ECONNREFUSED/,
    );
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const logger = createLogger({ service: 'test', destination: out });
    logger.error({ err: error }, 'X3 call failed');
    logger.error({ err: (error as Error).cause }, 'its cause');
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain(password);
    expect(text).not.toContain(Buffer.from(`px3:${password}`).toString('base64'));
  });
});
