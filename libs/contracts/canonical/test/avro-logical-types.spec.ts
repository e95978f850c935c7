import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { createAvroType } from '../src/index.js';

const amountType = createAvroType({
  type: 'record',
  name: 'Amounts',
  namespace: 'pardotx3.test',
  fields: [
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 4 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'id', type: ['null', { type: 'string', logicalType: 'uuid' }], default: null },
  ],
});

function roundTrip(value: Record<string, unknown>): Record<string, unknown> {
  return amountType.fromBuffer(amountType.toBuffer(value)) as Record<string, unknown>;
}

describe('decimals', () => {
  it.each([
    ['0', '0.0000'],
    ['1250.5', '1250.5000'],
    ['-3', '-3.0000'],
    ['-0.0001', '-0.0001'],
    ['99999.9999', '99999.9999'],
    ['-99999.9999', '-99999.9999'],
    ['128', '128.0000'],
    ['-128', '-128.0000'],
  ])('keeps %s exact (decoded as %s)', (written, read) => {
    expect(roundTrip({ amount: written, day: '2026-11-26', at: new Date(0), id: null })['amount']).toBe(read);
  });

  it('refuses to round: more fraction digits than the scale is invalid, not truncated', () => {
    expect(amountType.isValid({ amount: '1.00001', day: '2026-11-26', at: new Date(0), id: null })).toBe(
      false,
    );
  });

  it('refuses values beyond the precision and anything that is not a decimal string', () => {
    for (const amount of ['123456.0000', '1e3', 'abc', 12.5, '']) {
      expect(amountType.isValid({ amount, day: '2026-11-26', at: new Date(0), id: null })).toBe(false);
    }
  });
});

describe('dates and timestamps', () => {
  it('reads a date as YYYY-MM-DD whatever the time zone, and a timestamp as a Date', () => {
    const at = new Date('2026-11-26T15:04:05.123Z');
    const back = roundTrip({ amount: '1', day: '1969-12-31', at, id: null });
    expect(back['day']).toBe('1969-12-31');
    expect(back['at']).toEqual(at);
  });

  it('rejects impossible dates and invalid Date objects', () => {
    expect(amountType.isValid({ amount: '1', day: '2026-02-30', at: new Date(0), id: null })).toBe(false);
    expect(amountType.isValid({ amount: '1', day: '2026-11-26', at: new Date('nope'), id: null })).toBe(
      false,
    );
  });

  it('validates uuids on write', () => {
    expect(amountType.isValid({ amount: '1', day: '2026-11-26', at: new Date(0), id: 'not-a-uuid' })).toBe(
      false,
    );
    expect(
      roundTrip({
        amount: '1',
        day: '2026-11-26',
        at: new Date(0),
        id: '0193a7c2-6f6e-7c1a-9a55-3b1f0c2d4e5f',
      })['id'],
    ).toBe('0193a7c2-6f6e-7c1a-9a55-3b1f0c2d4e5f');
  });
});

describe('schema resolution', () => {
  it('reads data written without logical types (a plain long) into the logical representation', () => {
    const writer = avro.Type.forSchema({ type: 'record', name: 'T', fields: [{ name: 'at', type: 'long' }] });
    const reader = createAvroType({
      type: 'record',
      name: 'T',
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    });
    const value = reader.fromBuffer(writer.toBuffer({ at: 1_000 }), reader.createResolver(writer)) as {
      at: Date;
    };
    expect(value.at).toEqual(new Date(1_000));
  });

  it('does not resolve decimals of a different scale', () => {
    const writer = createAvroType({
      type: 'record',
      name: 'T',
      fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } }],
    });
    const reader = createAvroType({
      type: 'record',
      name: 'T',
      fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 4 } }],
    });
    expect(() => reader.createResolver(writer)).toThrow();
  });
});
