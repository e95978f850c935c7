import { describe, expect, it } from 'vitest';
import type { RecordChange } from '../sobjects/record-change.types.js';
import { ChangeEventLog, isChangeEventChannel } from './change-event-log.service.js';

const HOUR = 3_600_000;

function change(
  entityName: string,
  recordId: string,
  changeType: RecordChange['changeType'] = 'CREATE',
): RecordChange {
  return {
    entityName,
    changeType,
    recordId,
    record: { Id: recordId, Name: 'x' },
    changedFields: changeType === 'UPDATE' ? ['Name', 'LastModifiedDate'] : [],
    nulledFields: [],
    context: {
      userId: '0055g0000000001AAA',
      changeOrigin: 'com/salesforce/api/rest/60.0;client=t',
      transactionKey: 'tx',
    },
    committedAt: 0,
  };
}

describe('ChangeEventLog', () => {
  it('numbers events in commit order and serves each channel after a replay id', () => {
    const log = new ChangeEventLog(72 * HOUR, () => 0);
    log.record([change('Account', '001A'), change('Contact', '003A')]);
    log.record([change('Account', '001A', 'UPDATE')]);
    expect(log.eventsAfter('/data/ChangeEvents', 0).map((e) => e.replayId)).toEqual([1, 2, 3]);
    expect(
      log.eventsAfter('/data/AccountChangeEvent', 1).map((e) => e.data.payload.ChangeEventHeader.changeType),
    ).toEqual(['UPDATE']);
    expect(log.eventsAfter('/data/ContactChangeEvent', 0)[0]?.data.payload.ChangeEventHeader).toMatchObject({
      sequenceNumber: 2,
      commitNumber: 1,
    });
    expect(
      log.eventsAfter('/data/AccountChangeEvent', 0)[1]?.data.payload.ChangeEventHeader.commitNumber,
    ).toBe(2);
  });

  it('keeps events for the retention window (72 h by default), then refuses replay ids before it', () => {
    let now = 0;
    const log = new ChangeEventLog(72 * HOUR, () => now);
    log.record([change('Account', '001A')]);
    now = 71 * HOUR;
    log.record([change('Account', '001B')]);
    expect(log.isReplayable(0)).toBe(true);
    now = 73 * HOUR;
    expect(log.eventsAfter('/data/ChangeEvents', 0).map((e) => e.replayId)).toEqual([2]);
    expect(log.isReplayable(0)).toBe(false);
    expect(log.isReplayable(1)).toBe(true);
    expect(log.isReplayable(3)).toBe(false);
    expect(log.startAfter(-2)).toBe(1);
    expect(log.startAfter(-1)).toBe(2);
    log.setRetentionHours(1);
    expect(log.size()).toBe(0);
    expect(log.isReplayable(1)).toBe(false);
    expect(log.isReplayable(2)).toBe(true);
  });

  it('skips objects not selected for CDC and knows its channels', () => {
    const log = new ChangeEventLog(HOUR, () => 0);
    expect(log.record([change('User', '005A')])).toEqual([]);
    expect(isChangeEventChannel('/data/ChangeEvents')).toBe(true);
    expect(isChangeEventChannel('/data/OpportunityChangeEvent')).toBe(true);
    expect(isChangeEventChannel('/data/opportunitychangeevent')).toBe(false);
    expect(isChangeEventChannel('/topic/Accounts')).toBe(false);
  });
});
