import { describe, expect, it } from 'vitest';
import { pardotProspectSourceChange } from '../pardot/pardot-source-change.js';
import {
  salesforceCdcSourceChange,
  salesforceRecordSourceChange,
} from '../salesforce/salesforce-source-change.js';
import { parseX3Notification } from '../x3/x3-notification.js';
import { x3SourceChange } from '../x3/x3-source-change.js';
import { InvalidSourceRecordError } from './invalid-source-record.error.js';
import { flattenSourceFields } from './source-fields.js';

/**
 * Crash isolation (issue 10): a record from a source with a key named `__proto__`, `constructor` or
 * `prototype` — `JSON.parse` keeps `"__proto__"` as an own key, harmless until something copies it — is
 * refused where it enters, with the record named, instead of becoming a source event whose field
 * `__proto__.x` pollutes Object.prototype in the transformer.
 */

const RULE = '__proto__, constructor and prototype are not allowed as field names';

function refusal(run: () => unknown): InvalidSourceRecordError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidSourceRecordError) return error;
    throw error;
  }
  throw new Error('expected an InvalidSourceRecordError');
}

const clean = (): boolean => (({}) as Record<string, unknown>)['px3Polluted'] === undefined;

describe('records with __proto__ / constructor / prototype keys are refused at ingestion', () => {
  it('an X3 webhook notification with a nested __proto__ (JSON.parse shape): refused, naming the path', () => {
    const body = JSON.parse(
      '{"eventId":"e1","folder":"SEED","class":"BPCUSTOMER","key":"C00001","changeType":"UPDATE",' +
        '"record":{"BPCNUM":"C00001","UPDDATTIM":"2026-11-26T10:15:00Z","BPAADDLIG":{"__proto__":{"px3Polluted":"x"}}}}',
    ) as unknown;
    const error = refusal(() => parseX3Notification(body));
    expect(error.what).toBe('X3 notification');
    expect(error.problems).toEqual([`record.BPAADDLIG.__proto__: ${RULE}`]);
    expect(error.retriable).toBe(false);
    expect(clean()).toBe(true);
  });

  it('an X3 notification with a top-level __proto__ or a constructor.prototype path: refused', () => {
    const top = JSON.parse(
      '{"__proto__":{"px3Polluted":"x"},"eventId":"e1","folder":"SEED","class":"BPCUSTOMER","key":"C00001",' +
        '"changeType":"UPDATE","record":{"BPCNUM":"C00001","UPDDATTIM":"2026-11-26T10:15:00Z"}}',
    ) as unknown;
    expect(refusal(() => parseX3Notification(top)).problems).toEqual([`__proto__: ${RULE}`]);
    const ctor = JSON.parse(
      '{"eventId":"e1","folder":"SEED","class":"BPCUSTOMER","key":"C00001","changeType":"UPDATE",' +
        '"record":{"BPCNUM":"C00001","UPDDATTIM":"2026-11-26T10:15:00Z","Y":{"constructor":{"prototype":{"px3Polluted":"x"}}}}}',
    ) as unknown;
    expect(refusal(() => parseX3Notification(ctor)).problems).toEqual([`record.Y.constructor: ${RULE}`]);
    expect(clean()).toBe(true);
  });

  it('an X3 record read by the poller (lines included): refused, naming the record', () => {
    const record = JSON.parse(
      '{"SOHNUM":"SO1","UPDDATTIM":"2026-11-26T10:15:00Z","SORDERQ":[{"SOPLIN":1000,"__proto__":{"px3Polluted":"x"}}]}',
    ) as Record<string, unknown>;
    const error = refusal(() => x3SourceChange({ className: 'SORDER', record, via: 'POLL', folder: 'SEED' }));
    expect(error.message).toBe(`X3 SORDER record cannot be ingested: SORDERQ.0.__proto__: ${RULE}`);
  });

  it('Salesforce REST and CDC records, and Pardot prospects: refused', () => {
    const rest = JSON.parse(
      '{"Id":"00Q1","SystemModstamp":"2026-11-26T10:15:00.000+0000","Account":{"__proto__":{"px3Polluted":"x"}}}',
    ) as Record<string, unknown>;
    expect(
      refusal(() =>
        salesforceRecordSourceChange({
          sobject: 'Contact',
          record: rest,
          via: 'POLL',
          changeType: 'SNAPSHOT',
        }),
      ).problems,
    ).toEqual([`Account.__proto__: ${RULE}`]);
    const cdcFields = JSON.parse('{"constructor":{"prototype":{"px3Polluted":"x"}}}') as Record<
      string,
      unknown
    >;
    expect(
      refusal(() =>
        salesforceCdcSourceChange({
          entityName: 'Lead',
          recordId: '00Q1',
          changeType: 'CREATE',
          commitTimestamp: 0,
          changedFields: [],
          nulledFields: [],
          fields: cdcFields,
          changeOrigin: '',
          cdcReplayId: 1,
        }),
      ).what,
    ).toBe('Salesforce Lead');
    const prospect = JSON.parse(
      '{"id":1,"updatedAt":"2026-11-26T10:15:00+00:00","__proto__":{"px3Polluted":"x"}}',
    ) as Record<string, unknown>;
    expect(refusal(() => pardotProspectSourceChange(prospect, null)).problems).toEqual([
      `__proto__: ${RULE}`,
    ]);
    expect(clean()).toBe(true);
  });

  it('flattenSourceFields never turns such a key into a field path', () => {
    const record = JSON.parse('{"A":{"__proto__":{"px3Polluted":"x"}}}') as Record<string, unknown>;
    expect(() => flattenSourceFields(record)).toThrow(InvalidSourceRecordError);
    expect(flattenSourceFields({ A: { B: 1 }, constructor__c: 'ok' })).toEqual({
      'A.B': 1,
      constructor__c: 'ok',
    });
  });
});
