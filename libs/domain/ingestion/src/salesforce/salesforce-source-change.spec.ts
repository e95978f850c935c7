import { describe, expect, it } from 'vitest';
import { pardotProspectSourceChange, isPardotOwnWrite } from '../pardot/pardot-source-change.js';
import { advanceWatermark, pollWindowStart, settledPollEnd } from '../polling/poll-window.js';
import { salesforceCdcSourceChange, salesforceRecordSourceChange } from './salesforce-source-change.js';

const header = {
  entityName: 'Contact',
  recordId: '0035g00000AbCdEAAZ',
  commitTimestamp: Date.parse('2026-11-26T10:15:00Z'),
  changeOrigin: 'com/salesforce/api/rest/62.0;client=SfdcInternalAPI/',
  cdcReplayId: 42,
};

describe('salesforceCdcSourceChange', () => {
  it('carries only the fields an UPDATE changed or emptied, in REST names', () => {
    const { change, version } = salesforceCdcSourceChange({
      ...header,
      changeType: 'UPDATE',
      changedFields: ['MailingAddress.City', 'Name.FirstName', 'LastModifiedDate'],
      nulledFields: ['Phone'],
      fields: {
        ChangeEventHeader: {},
        Name: { FirstName: 'Jane', LastName: null, Salutation: null },
        MailingAddress: { Street: null, City: 'Lyon', PostalCode: null },
        Email: null,
        Phone: null,
        LastModifiedDate: '2026-11-26T10:15:00.000Z',
      },
    });
    expect(change.fields).toEqual({
      Id: '0035g00000AbCdEAAZ',
      FirstName: 'Jane',
      MailingCity: 'Lyon',
      Phone: null,
      LastModifiedDate: '2026-11-26T10:15:00.000Z',
    });
    expect(change).toMatchObject({ changeType: 'UPDATED', via: 'CDC', entity: 'Contact' });
    expect(change.changedFields).toEqual(['MailingCity', 'FirstName', 'LastModifiedDate']);
    expect(version).toEqual({ changedAt: header.commitTimestamp, sequence: 42 });
  });

  it('carries every field of a creation, with its values as sent', () => {
    const { change } = salesforceCdcSourceChange({
      ...header,
      entityName: 'Lead',
      changeType: 'CREATE',
      changedFields: [],
      nulledFields: [],
      fields: {
        Name: { FirstName: 'Jane', LastName: 'Doe' },
        Company: 'Acme',
        Address: { City: 'Paris' },
        Phone: null,
      },
    });
    expect(change.fields).toEqual({
      Id: '0035g00000AbCdEAAZ',
      FirstName: 'Jane',
      LastName: 'Doe',
      Company: 'Acme',
      City: 'Paris',
      Phone: null,
    });
    expect(change.changeType).toBe('CREATED');
  });
});

describe('salesforceRecordSourceChange', () => {
  it('reads relationships as dotted paths and child records as lines', () => {
    const { change } = salesforceRecordSourceChange({
      sobject: 'Opportunity',
      via: 'BACKFILL',
      changeType: 'SNAPSHOT',
      record: {
        attributes: { type: 'Opportunity' },
        Id: '0065g00000AbCdEAAZ',
        StageName: 'Closed Won',
        Account: { attributes: { type: 'Account' }, Name: 'Acme' },
        SystemModstamp: '2026-11-26T10:15:00.000+0000',
        OpportunityLineItems: {
          totalSize: 1,
          records: [{ Id: '00k1', Quantity: 2, Product2: { ProductCode: 'BIK-1001' } }],
        },
      },
      children: [{ relationship: 'OpportunityLineItems', entity: 'OpportunityLineItem' }],
    });
    expect(change.fields).toEqual({
      Id: '0065g00000AbCdEAAZ',
      StageName: 'Closed Won',
      'Account.Name': 'Acme',
      SystemModstamp: '2026-11-26T10:15:00.000+0000',
    });
    expect(change.lines).toEqual([
      {
        entity: 'OpportunityLineItem',
        recordId: '00k1',
        fields: { Id: '00k1', Quantity: 2, 'Product2.ProductCode': 'BIK-1001' },
      },
    ]);
    expect(change.changedAt.toISOString()).toBe('2026-11-26T10:15:00.000Z');
  });
});

describe('Pardot prospects', () => {
  it('become source events stamped with updatedAt, and our own last write is recognised', () => {
    const { change, version } = pardotProspectSourceChange(
      {
        id: 100001,
        email: 'jane@acme.com',
        createdAt: '2026-11-01T09:00:00+00:00',
        updatedAt: '2026-11-26T10:15:00+00:00',
        Customer_Group__c: 'STD',
      },
      '0Uv5g000000PX3AAAA',
    );
    expect(change).toMatchObject({
      system: 'PARDOT',
      entity: 'Prospect',
      recordId: '100001',
      changeType: 'UPDATED',
    });
    expect(isPardotOwnWrite(version.changedAt, Date.parse('2026-11-26T10:15:00Z'))).toBe(true);
    expect(isPardotOwnWrite(version.changedAt, Date.parse('2026-11-26T10:14:59Z'))).toBe(false);
  });
});

describe('poll windows', () => {
  const policy = { overlapMs: 60_000, initialLookbackMs: 3_600_000 };
  it('start an overlap before the watermark, and the watermark follows the source clock only forwards', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(pollWindowStart(undefined, policy, now).toISOString()).toBe('2026-11-26T11:00:00.000Z');
    const watermark = Date.parse('2026-11-26T10:00:00Z');
    expect(pollWindowStart(watermark, policy, now).toISOString()).toBe('2026-11-26T09:59:00.000Z');
    // The source's clock is behind ours (skew): the watermark still only uses what the source said.
    expect(advanceWatermark(watermark, [watermark - 5_000, watermark + 2_000])).toBe(watermark + 2_000);
    expect(advanceWatermark(watermark, [])).toBe(watermark);
  });

  it('end before the seconds that may still change under the same whole-second time stamp', () => {
    // 12:00:03.400 now: 12:00:01 and later may still get edits stamped 12:00:01…; read up to 12:00:01.000.
    expect(settledPollEnd(Date.parse('2026-11-26T12:00:03.400Z')).toISOString()).toBe(
      '2026-11-26T12:00:01.000Z',
    );
    expect(settledPollEnd(Date.parse('2026-11-26T12:00:03.000Z'), 0).toISOString()).toBe(
      '2026-11-26T12:00:03.000Z',
    );
  });
});
