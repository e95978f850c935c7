import { describe, expect, it } from 'vitest';
import {
  X3ApiError,
  X3BusinessError,
  businessErrorOf,
  classifyDiagnosis,
  x3ErrorFromResponse,
} from './x3.error.js';
import { x3DateTime, x3Equals, x3String } from './x3-query.util.js';

describe('$diagnoses', () => {
  it('turns error diagnoses of a 200 payload into a typed business error, keeping the raw message', () => {
    const error = businessErrorOf('details', 'the read of BPCUSTOMER C0001', 200, {
      $diagnoses: [{ $severity: 'error', $message: '721 : Record does not exist' }],
    });
    expect(error).toBeInstanceOf(X3BusinessError);
    expect(error?.businessKind).toBe('record-not-found');
    expect(error?.code).toBe('721');
    expect(error?.rawMessage).toBe('721 : Record does not exist');
    expect(error?.message).toBe('Sage X3 refused the read of BPCUSTOMER C0001: 721 : Record does not exist');
    expect(error?.retryable).toBe(false);
  });

  it('ignores warnings and info', () => {
    expect(
      businessErrorOf('create', 'x', 201, {
        SOHNUM: 'SO1',
        $diagnoses: [{ $severity: 'warning', $message: 'Price list not found, base price used' }],
      }),
    ).toBeUndefined();
  });

  it('finds diagnoses on order lines and names the refusal', () => {
    const body = {
      $diagnoses: [],
      SORDERQ: [
        { ITMREF: 'BAD-1', $diagnoses: [{ $severity: 'error', $message: 'ITMREF: Record does not exist' }] },
      ],
    };
    expect(businessErrorOf('create', 'the sales order for 006A', 200, body)?.businessKind).toBe(
      'unknown-product',
    );
  });

  it.each([
    ['ITMREF: Record does not exist', 'unknown-product'],
    ['Product BIKE-9 unknown', 'unknown-product'],
    ['Insufficient stock for BIKE-1 on site FR011', 'insufficient-stock'],
    ['Stock shortage: 3 missing', 'insufficient-stock'],
    ['Undeliverable Order: Customer Held', 'credit-hold'],
    ['Credit limit exceeded for customer C0001', 'credit-hold'],
    [
      'Customer C00001: authorised credit exceeded (authorised 729000, outstanding 10, this order 9999990)',
      'credit-hold',
    ],
    ['Customer C00004 is on credit hold: order entry blocked', 'credit-hold'],
    ['721 : Record does not exist', 'record-not-found'],
    ['Something else went wrong', 'other'],
  ])('classifies "%s" as %s', (message, kind) => {
    expect(classifyDiagnosis(message)).toBe(kind);
  });
});

describe('x3ErrorFromResponse', () => {
  it('separates transient, authentication and permanent HTTP failures', () => {
    expect(x3ErrorFromResponse('query', 'q', 503, 'busy').kind).toBe('transient');
    expect(x3ErrorFromResponse('query', 'q', 500, 'No Web services accepted').kind).toBe('throttled');
    expect(
      x3ErrorFromResponse('update', 'u', 200, {
        $diagnoses: [{ $severity: 'error', $message: 'Locked record' }],
      }).kind,
    ).toBe('throttled');
    const auth = x3ErrorFromResponse('query', 'the BPCUSTOMER query', 401, '');
    expect(auth).toBeInstanceOf(X3ApiError);
    expect(auth.kind).toBe('permanent-config');
    expect(auth.message).toMatch(/X3_USERNAME/);
    expect(
      x3ErrorFromResponse('query', 'q', 404, {
        $diagnoses: [{ $severity: 'error', $message: 'Class FOO not found' }],
      }).kind,
    ).toBe('permanent-data');
  });
});

describe('where builders', () => {
  it('quotes values and writes datetimes the api1 way', () => {
    expect(x3String("O'Brien")).toBe("'O''Brien'");
    expect(x3Equals('CUSORDREF', '0065g00000AbCdEAAZ')).toBe("CUSORDREF eq '0065g00000AbCdEAAZ'");
    expect(x3DateTime(new Date('2026-06-06T00:00:01.500Z'))).toBe('@2026-06-06T00:00:01Z@');
    expect(() => x3Equals('BPCNUM eq 1 or 1', 'x')).toThrow(/not a valid X3 property/);
  });
});
