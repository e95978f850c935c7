import { describe, expect, it } from 'vitest';
import { sourceRecordInput } from './source-record-input.js';

describe('sourceRecordInput', () => {
  it('nests dotted parent fields and puts lines where the template reads them', () => {
    const input = sourceRecordInput(
      {
        fields: { Id: '006A', 'Account.Name': 'Acme', 'Account.BillingCity': null, StageName: 'Closed Won' },
        lines: [
          {
            entity: 'OpportunityLineItem',
            recordId: '00kA',
            fields: { 'Product2.ProductCode': 'BIK-1', Quantity: 2 },
          },
          { entity: 'OpportunityLineItem', recordId: '00kB', fields: { ProductCode: 'BIK-2', Quantity: 1 } },
        ],
      },
      { lines: { OpportunityLineItem: { into: 'OpportunityLineItems', shape: 'soql' } } },
    );
    expect(input).toEqual({
      Id: '006A',
      StageName: 'Closed Won',
      Account: { Name: 'Acme', BillingCity: null },
      OpportunityLineItems: {
        totalSize: 2,
        done: true,
        records: [
          { Id: '00kA', Product2: { ProductCode: 'BIK-1' }, Quantity: 2 },
          { Id: '00kB', ProductCode: 'BIK-2', Quantity: 1 },
        ],
      },
    });
  });

  it('keeps unknown apart from cleared and gives a record without lines its empty relationship', () => {
    const input = sourceRecordInput(
      { fields: { Name: null }, lines: [] },
      { lines: { OpportunityLineItem: { into: 'OpportunityLineItems', shape: 'soql' } } },
    );
    expect(input).toEqual({ Name: null, OpportunityLineItems: { totalSize: 0, done: true, records: [] } });
    expect('Amount' in input).toBe(false);
  });

  it('puts lines of an unlisted entity under its own name, as X3 embeds them', () => {
    const input = sourceRecordInput({
      fields: { SDHNUM: 'SD1' },
      lines: [{ entity: 'SDELIVERYD', recordId: '1000', fields: { ITMREF: 'BIK-1', QTY: 3 } }],
    });
    expect(input['SDELIVERYD']).toEqual([{ Id: '1000', ITMREF: 'BIK-1', QTY: 3 }]);
  });

  it('does not nest under a parent the source reports as empty', () => {
    const input = sourceRecordInput({ fields: { Account: null, 'Account.Name': 'Ghost' }, lines: [] });
    expect(input).toEqual({ Account: null });
  });
});
