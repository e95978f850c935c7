import { createAvroType, DeadLetterSchema } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { deadLetterEnvelope, errorClassOf } from './dead-letter-envelope.js';

class PardotApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PardotApiError';
  }
}

describe('the dead-letter envelope', () => {
  const message = {
    topic: 'ns.customer.observation.recorded.v1',
    partition: 2,
    offset: '41',
    key: Buffer.from('X3:BPCUSTOMER:C1'),
    value: Buffer.from([0, 0, 0, 0, 7, 1, 2]),
    headers: { ce_id: Buffer.from('evt-1'), 'px3-attempt': Buffer.from('4') },
    timestamp: 1_000,
  };

  it('keeps the original bytes and headers, names the error and redacts secrets, and fits its schema', () => {
    const { value, headers } = deadLetterEnvelope({
      group: 'pardot-writer.customers',
      message,
      origin: { topic: 'customer.observation.recorded.v1', partition: 2, offset: '41', timestamp: 1_000 },
      eventId: 'evt-1',
      reason: 'RETRIES_EXHAUSTED',
      error: new PardotApiError('POST https://api:s3cret@pi.pardot.com failed: Bearer abc.def'),
      attempts: 6,
      firstFailedAt: 500,
    });
    expect(value.payload).toEqual(message.value);
    expect(value.key).toEqual(message.key);
    expect(value.headers).toEqual([{ name: 'ce_id', value: Buffer.from('evt-1') }]);
    expect(value.errorClass).toBe('PardotApiError');
    expect(value.errorMessage).not.toMatch(/s3cret|abc\.def/);
    expect(headers).toMatchObject({
      'px3-dlq-error-class': 'PardotApiError',
      'px3-dlq-attempts': '6',
      'px3-dlq-origin-offset': '41',
      'px3-dlq-reason': 'RETRIES_EXHAUSTED',
    });
    expect(createAvroType(DeadLetterSchema.json).isValid(value)).toBe(true);
  });

  it('names errors by class, or by type for thrown non-errors', () => {
    expect(errorClassOf(new TypeError('x'))).toBe('TypeError');
    expect(errorClassOf('just a string')).toBe('string');
  });
});
