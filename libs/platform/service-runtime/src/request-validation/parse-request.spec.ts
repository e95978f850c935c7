import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertUtf8Body, parseRequest, requestText } from './parse-request.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestException)
      return String((error.getResponse() as { message: unknown }).message);
    throw error;
  }
  throw new Error('expected a BadRequestException');
}

describe('parseRequest', () => {
  const schema = z.object({ id: requestText(18), count: z.number().int().optional() }).strict();

  it('returns the parsed value, or a 400 naming every problem with its path', () => {
    expect(parseRequest(schema, { id: 'abc' })).toEqual({ id: 'abc' });
    const message = refusal(() =>
      parseRequest(schema, { id: 'a\u0000b', count: 'x', extra: 1 }, 'the lookup'),
    );
    expect(message).toMatch(/^the lookup is not valid: /);
    expect(message).toContain('id: must not contain a NUL character');
    expect(message).toContain('count: ');
    expect(message).toContain('extra');
  });

  it('requestText refuses empty, too long and lone-surrogate text', () => {
    expect(refusal(() => parseRequest(requestText(3), ''))).toContain('must not be empty');
    expect(refusal(() => parseRequest(requestText(3), 'abcd'))).toContain('at most 3 characters');
    expect(refusal(() => parseRequest(requestText(3), '\uD800'))).toContain('valid Unicode');
    expect(parseRequest(requestText(3), '🚲')).toBe('🚲');
  });
});

describe('assertUtf8Body', () => {
  it('accepts UTF-8 and no body, refuses other bytes with a 400', () => {
    expect(() => assertUtf8Body(Buffer.from('{"a":"é🚲"}'))).not.toThrow();
    expect(() => assertUtf8Body(undefined)).not.toThrow();
    expect(refusal(() => assertUtf8Body(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])))).toBe(
      'the request body is not valid UTF-8',
    );
  });
});
