import { BadRequestException } from '@nestjs/common';
import { parseRequest } from '@pardot-x3/service-runtime';
import { describe, expect, it } from 'vitest';
import { lookupRequestSchema } from './golden-customers.request-schema.js';

function message(body: unknown): string {
  try {
    parseRequest(lookupRequestSchema, body, 'the lookup');
  } catch (error) {
    if (error instanceof BadRequestException)
      return String((error.getResponse() as { message: unknown }).message);
    throw error;
  }
  return 'accepted';
}

describe('POST /golden-customers/lookup request schema', () => {
  it('names what is wrong', () => {
    expect(message({ email: 'a@b.example' })).toBe('accepted');
    expect(message({ system: 'X3', entity: 'BPCUSTOMER', id: 'C00001' })).toBe('accepted');
    expect(message({ email: 'a\u0000@b.example' })).toBe(
      'the lookup is not valid: email: must not contain a NUL character',
    );
    expect(message({})).toMatch(/^the lookup is not valid: give \{"email"/);
    expect(message('x')).toMatch(/^the lookup is not valid: give \{"email"/);
    expect(message({ email: 5 })).toMatch(/^the lookup is not valid: /);
  });
});
